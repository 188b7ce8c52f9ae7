import Foundation
import Testing

/// Every service is built on one template (docs/architecture.md, "One service shape"): the same
/// folders with the same meaning, so that whoever learns one service knows where things live in
/// the next. These tests read the source tree and fail when a service drifts from it.
@Suite("Architecture: one service shape")
struct ServiceLayoutTests {
    /// The folders every service module has.
    static let requiredFolders: Set<String> = ["Domain", "Application", "Persistence", "Consumers", "HTTP", "Resources"]
    /// Background work: present exactly when the service runs periodic jobs.
    static let jobsFolder = "Jobs"
    /// The folders that may open a transaction or enqueue outbox events.
    static let transactionalFolders: Set<String> = ["Application", "Consumers", "Jobs"]
    /// What domain code may import: values and decisions only.
    static let domainImports: Set<String> = ["Foundation", "Contracts", "Segments", "Crypto"]

    @Test("every service has the template's folders and nothing else, and one composition root")
    func everyServiceHasTheTemplateFolders() throws {
        let modules = try SourceTree.serviceModules()
        #expect(modules.count == 5)
        for module in modules {
            let entries = try SourceTree.entries(of: module.directory)
            let folders = Set(entries.filter(\.isDirectory).map(\.name))
            let files = entries.filter { !$0.isDirectory }.map(\.name)
            let missing = Self.requiredFolders.subtracting(folders)
            #expect(missing.isEmpty, "\(module.name) lacks \(missing.sorted())")
            let unexpected = folders.subtracting(Self.requiredFolders).subtracting([Self.jobsFolder])
            #expect(unexpected.isEmpty, "\(module.name) has folders outside the template: \(unexpected.sorted())")
            #expect(files.count == 1 && files[0].hasSuffix("Module.swift"), "\(module.name)'s root holds \(files), not one <Name>Module.swift")
            if let root = files.first {
                let text = try String(contentsOf: module.directory.appendingPathComponent(root), encoding: .utf8)
                #expect(text.contains(": ServiceModule"), "\(module.name)/\(root) does not conform to ServiceModule")
            }
            let sources = try SourceTree.swiftFiles(in: module.directory)
            let runsJobs = try sources.contains { try $0.code.contains("PeriodicService(") }
            #expect(
                runsJobs == folders.contains(Self.jobsFolder),
                "\(module.name): a Jobs folder exists exactly when the service runs periodic jobs (runs jobs: \(runsJobs))"
            )
        }
    }

    @Test("only Application, Consumers and Jobs open transactions or enqueue outbox events")
    func transactionsAndOutboxWritesLiveInTheirLayers() throws {
        for module in try SourceTree.serviceModules() {
            for file in try SourceTree.swiftFiles(in: module.directory) where !Self.transactionalFolders.contains(file.folder) {
                let code = try file.code
                for marker in [#"\.transaction\b"#, #"\bwithTransaction\b"#, #"\bOutbox\.enqueue\b"#] {
                    #expect(code.range(of: marker, options: .regularExpression) == nil, "\(module.name)/\(file.relativePath) matches \(marker)")
                }
            }
        }
    }

    @Test("SQL lives in Persistence and problem+json in HTTP")
    func sqlAndProblemsStayAtTheirEdges() throws {
        for module in try SourceTree.serviceModules() {
            for file in try SourceTree.swiftFiles(in: module.directory) {
                let code = try file.code
                if file.folder != "Persistence" {
                    for marker in [".query(", "PostgresQuery(", "unsafeSQL"] {
                        #expect(!code.contains(marker), "\(module.name)/\(file.relativePath) runs SQL (\(marker)) outside Persistence")
                    }
                }
                if file.folder != "HTTP" {
                    #expect(
                        code.range(of: #"\bProblem\b"#, options: .regularExpression) == nil,
                        "\(module.name)/\(file.relativePath) uses Problem outside HTTP"
                    )
                }
            }
        }
    }

    @Test("domain code imports only value modules")
    func domainImportsOnlyValues() throws {
        for module in try SourceTree.serviceModules() {
            for file in try SourceTree.swiftFiles(in: module.directory) where file.folder == "Domain" {
                let imports = try file.imports
                let extra = imports.subtracting(Self.domainImports)
                #expect(extra.isEmpty, "\(module.name)/\(file.relativePath) imports \(extra.sorted())")
            }
        }
    }

    @Test("services expose package declarations, never public ones beyond their service definition")
    func servicesUsePackageAccess() throws {
        for module in try SourceTree.serviceModules() {
            for file in try SourceTree.swiftFiles(in: module.directory) {
                // The one public declaration: the service's definition (`ServiceDefinition.userService`),
                // at the bottom of the composition root, for its executable.
                let publicLines = try file.code.split(separator: "\n").filter { line in
                    let declaration = line.trimmingCharacters(in: .whitespaces)
                    return declaration.hasPrefix("public ") && !(file.folder.isEmpty && declaration.hasPrefix("public static let "))
                }
                #expect(publicLines.isEmpty, "\(module.name)/\(file.relativePath): \(publicLines.first.map(String.init) ?? "")")
            }
        }
        for module in try SourceTree.serviceModules() {
            let moduleName = module.directory.lastPathComponent
            let tests = SourceTree.root.appendingPathComponent("Tests").appendingPathComponent("\(moduleName)Tests")
            for file in try SourceTree.swiftFiles(in: tests) {
                #expect(!(try file.code.contains("@testable import \(moduleName)")), "\(moduleName)Tests/\(file.relativePath) uses @testable")
            }
        }
    }
}
