import Contracts
import Foundation
import Testing

/// `docs/asyncapi.yaml` against the code. The document is read as text (no YAML parser), so these checks
/// look for the lines it is written with: `address: <topic>` opening each channel, `name: <ce_type>`
/// opening each message with its `const: <ce_type>` header, and payloads as
/// `$ref: '../Shared/Contracts/Schemas/<schemaName>.schema.json'`.
@Suite("AsyncAPI document")
struct AsyncAPIDocumentTests {
    /// The repository root; this file is `Tests/ContractsTests/AsyncAPIDocumentTests.swift`. Symlinks are
    /// resolved so that a package linking this folder from elsewhere still finds the repository's files.
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let docsFolder = root.appendingPathComponent("docs", isDirectory: true)
    static let schemaFolder = root.appendingPathComponent("Shared/Contracts/Schemas", isDirectory: true)
    static let schemaRefPrefix = "../Shared/Contracts/Schemas/"

    static func document() throws -> String {
        try String(contentsOf: docsFolder.appendingPathComponent("asyncapi.yaml"), encoding: .utf8)
    }

    /// The text from `marker` up to the first of `terminators` after it, or to the end.
    static func section(of text: Substring, from marker: String, to terminators: [String]) -> Substring? {
        guard let start = text.range(of: marker) else { return nil }
        let rest = text[start.upperBound...]
        let end = terminators.compactMap { rest.range(of: $0)?.lowerBound }.min() ?? rest.endIndex
        return text[start.lowerBound..<end]
    }

    /// The channel whose `address` is `topic`, up to the next channel or the operations.
    static func channel(_ topic: Topic, in text: String) -> Substring? {
        section(of: text[...], from: "address: \(topic.name)\n", to: ["address: ", "\noperations:"])
    }

    /// The message of `type` in its topic's channel, up to the next message.
    static func message(_ type: EventType, in text: String) -> Substring? {
        guard let topic = type.topic, let channel = channel(topic, in: text) else { return nil }
        return section(of: channel, from: "name: \(type.rawValue)\n", to: ["name: "])
    }

    /// Every `$ref` value that points at a schema file.
    static func schemaRefs(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("$ref:") else { return nil }
            let value = trimmed.dropFirst("$ref:".count).trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
            return value.hasPrefix(schemaRefPrefix) ? value : nil
        }
    }

    @Test("the document is found and is AsyncAPI 3.0")
    func header() throws {
        let text = try Self.document()
        #expect(text.contains("asyncapi: 3.0.0\n"))
        #expect(text.contains("\nchannels:\n"))
        #expect(text.contains("\noperations:\n"))
    }

    @Test("every topic is a channel with its address, partitions and cleanup policy", arguments: Topic.allCases)
    func channel(topic: Topic) throws {
        let text = try Self.document()
        let channel = try #require(Self.channel(topic, in: text), "no channel with address \(topic.name)")
        #expect(channel.contains("partitions: 12"))
        #expect(channel.contains("cleanup.policy: [compact]") == topic.isCompacted)
        #expect(channel.contains("cleanup.policy: [delete]") == !topic.isCompacted)
    }

    @Test("the document has no channel the code does not know")
    func noExtraChannels() throws {
        let addresses = try Self.document().split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("address: ") }
            .map { String($0.dropFirst("address: ".count)) }
        #expect(addresses.sorted() == Topic.allCases.map(\.name).sorted())
    }

    @Test("every event type is a message of its topic's channel, with its header, key and schema", arguments: EventType.all)
    func message(type: EventType) throws {
        let text = try Self.document()
        let message = try #require(Self.message(type, in: text), "no message named \(type) on \(type.topic?.name ?? "?")")
        #expect(message.contains("const: \(type.rawValue)\n"))
        #expect(message.contains("contentType: application/json"))
        #expect(message.contains("$ref: '\(Self.schemaRefPrefix)\(type.schemaName).schema.json'"))
        let key =
            switch type {
            case .resyncRequested: "<tenantId>/<resyncId>`"
            case .resyncPage: "<tenantId>/<resyncId>/<source>/<page>`"
            case .resyncCompleted: "<tenantId>/<resyncId>/<source>`"
            default:
                switch type.topic {
                case .courses, .courseSummaryReports: "<tenantId>/<courseId>`"
                case .complianceReports: "<tenantId>/<courseId>/<dimension>/<value>`"
                default: "<tenantId>/<userId>`"
                }
            }
        #expect(message.contains("key:"))
        #expect(message.contains(key))
        for header in ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "ce_tenantid", "content-type", "traceparent"] {
            #expect(message.contains("\(header):"), "\(type) lacks header \(header)")
        }
    }

    @Test("the document has no ce_type the code does not know")
    func noExtraTypes() throws {
        let lines = try Self.document().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var types: [String] = []
        for (index, line) in lines.enumerated() where line == "ce_type:" {
            // The const follows within the property's few lines; the DLQ's ce_type has none.
            for next in lines[(index + 1)..<min(index + 4, lines.count)] where next.hasPrefix("const: ") {
                types.append(String(next.dropFirst("const: ".count)))
            }
        }
        #expect(types.sorted() == EventType.all.map(\.rawValue).sorted())
    }

    @Test("every payload reference is an existing schema file of the contract")
    func schemaFiles() throws {
        let refs = Self.schemaRefs(in: try Self.document())
        #expect(!refs.isEmpty)
        for ref in refs {
            let url = URL(fileURLWithPath: ref, relativeTo: Self.docsFolder).standardizedFileURL
            #expect(url.deletingLastPathComponent().path == Self.schemaFolder.standardizedFileURL.path, "\(ref)")
            #expect(FileManager.default.fileExists(atPath: url.path), "\(ref) does not exist at \(url.path)")
        }
        let names = Set(refs.map { String($0.dropFirst(Self.schemaRefPrefix.count).dropLast(".schema.json".count)) })
        #expect(names == Set(EventType.all.map(\.schemaName)))
    }

    @Test("the dead-letter channel documents every dlq_ header")
    func deadLetterHeaders() throws {
        let channel = try #require(Self.channel(.deadLetter, in: try Self.document()))
        for header in DeadLetterHeader.allCases {
            #expect(channel.contains("\(header.name):"), "\(header.name) missing")
        }
    }

    @Test("every channel is sent to and received from by some operation")
    func operations() throws {
        let text = try Self.document()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Channel ids: the line above each `address:`.
        var channelIds: [String] = []
        for (index, line) in lines.enumerated() where index > 0 && line.trimmingCharacters(in: .whitespaces).hasPrefix("address: ") {
            channelIds.append(String(lines[index - 1].trimmingCharacters(in: .whitespaces).dropLast()))
        }
        #expect(channelIds.count == Topic.allCases.count)
        let operations = try #require(Self.section(of: text[...], from: "\noperations:\n", to: ["\ncomponents:"]))
        // Operations are the two-space-indented keys of that section.
        var blocks: [String] = []
        for line in operations.split(separator: "\n") {
            if line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasPrefix("  #") {
                blocks.append("")
            }
            if !blocks.isEmpty { blocks[blocks.count - 1] += line + "\n" }
        }
        for id in channelIds {
            let ref = "'#/channels/\(id)'"
            #expect(blocks.contains { $0.contains("action: send") && $0.contains(ref) }, "nobody sends to \(id)")
            #expect(blocks.contains { $0.contains("action: receive") && $0.contains(ref) }, "nobody receives \(id)")
        }
    }
}
