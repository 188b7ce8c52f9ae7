import Foundation

/// The repository's source files, as the layout tests read them.
enum SourceTree {
    /// The repository root (this file is `Tests/ArchitectureTests/SourceTree.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Module {
        var name: String
        var directory: URL
    }

    struct Entry {
        var name: String
        var isDirectory: Bool
    }

    /// A Swift file of a module, with its first folder below the module root (`""` at the root).
    struct File {
        var url: URL
        var relativePath: String
        var folder: String { relativePath.contains("/") ? String(relativePath.prefix { $0 != "/" }) : "" }

        /// The code without comment lines, so prose may name what code may not use.
        var code: String {
            get throws {
                try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                    .joined(separator: "\n")
            }
        }

        /// The modules the file imports (`@testable` and attributes stripped).
        var imports: Set<String> {
            get throws {
                Set(
                    try code.split(separator: "\n").compactMap { line -> String? in
                        let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                        guard words.first == "import", words.count >= 2 else { return nil }
                        return String(words[words.count - 1])
                    }
                )
            }
        }
    }

    /// The library module of every service: `Services/<product>/Sources/<Module>` (not `Main`).
    static func serviceModules() throws -> [Module] {
        let services = root.appendingPathComponent("Services")
        var modules: [Module] = []
        for product in try FileManager.default.contentsOfDirectory(atPath: services.path).sorted() {
            let sources = services.appendingPathComponent(product).appendingPathComponent("Sources")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: sources.path) else { continue }
            for name in names.sorted() where name != "Main" {
                modules.append(Module(name: "\(product)/\(name)", directory: sources.appendingPathComponent(name)))
            }
        }
        return modules
    }

    static func entries(of directory: URL) throws -> [Entry] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }.sorted().map { name in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
            return Entry(name: name, isDirectory: isDirectory.boolValue)
        }
    }

    /// Every `.swift` file below `directory`.
    static func swiftFiles(in directory: URL) throws -> [File] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        let base = directory.standardizedFileURL.path + "/"
        var files: [File] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = url.standardizedFileURL.path
            files.append(File(url: url, relativePath: path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }
}
