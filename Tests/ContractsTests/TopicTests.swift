import Contracts
import Foundation
import Testing

@Suite("Topics, event types and bundled schemas")
struct TopicTests {
    @Test("every event type maps to a topic that lists it", arguments: EventType.all)
    func typeToTopic(type: EventType) throws {
        let topic = try #require(type.topic)
        #expect(topic.eventTypes.contains(type))
        #expect(type.isKnown)
    }

    @Test("every event type has a schema file", arguments: EventType.all)
    func schemaFile(type: EventType) throws {
        #expect(JSONSchemaValidator.bundledSchemaURL(named: type.schemaName) != nil)
        _ = try JSONSchemaValidator.bundled(for: type)
    }

    @Test("all bundled schema files load and are used by some event type")
    func bundledSchemas() throws {
        let names = Set(EventType.all.map(\.schemaName))
        #expect(Set(JSONSchemaValidator.bundledSchemaNames) == names)
        for name in names {
            _ = try JSONSchemaValidator.bundled(named: name)
        }
        #expect(throws: SchemaLoadingError.self) { try JSONSchemaValidator.bundled(named: "nope") }
        #expect(throws: SchemaLoadingError.self) { try JSONSchemaValidator.bundled(for: EventType("x.y")) }
    }

    @Test("topic names and properties")
    func topics() {
        #expect(Topic.allCases.count == 13)
        #expect(Topic.users.name == "lms.users.v1")
        #expect(Topic(name: "lms.dlq.v1") == .deadLetter)
        #expect(Topic.allCases.filter(\.isCompacted) == [.courseSummaryReports, .complianceReports])
        #expect(Topic.deadLetter.eventTypes.isEmpty)
        #expect(EventType.all.count == 26)
        #expect(Set(EventType.all).count == EventType.all.count)
        #expect(EventType.lmsUserUpserted.rawValue == "lms.user.upserted")
        #expect(EventType.learningActivity.topic == .platformLearningActivity)
        #expect(EventType.enrollRequested.topic == .enrollmentCommands)
        #expect(EventType.userErased.schemaName == "platform.user.lifecycle")
        #expect(EventType.userCreated.schemaName == "platform.user.created")
        #expect(Topic.resyncRequests.name == "lms.resync-requests.v1")
        #expect(Topic.resync.name == "lms.resync.v1")
        #expect(Topic.resyncRequests.eventTypes == [.resyncRequested])
        #expect(Topic.resync.eventTypes == [.resyncPage, .resyncCompleted])
        #expect(EventType.resyncPage.rawValue == "lms.resync.page")
        #expect(EventType.resyncCompleted.schemaName == "lms.resync.completed")
        #expect(String(decoding: (try? LMSJSON.encode([EventType.userCreated])) ?? [], as: UTF8.self) == #"["platform.user.created"]"#)
        #expect(DeadLetterHeader.allCases.map(\.name).allSatisfy { $0.hasPrefix("dlq_") })
    }
}
