import Contracts
import Hummingbird
import ServiceHTTP

/// `POST /v1/activity`: statements from players that speak HTTP — one statement (the topic's
/// payload) or a JSON array of up to 10,000, recorded in one transaction. Answers with what was
/// recorded, what was a duplicate and what is waiting for its enrollment.
/// `GET /v1/activity/unattributed`: the statements of the tenant no enrollment claims yet, by course.
struct ActivityController: Sendable {
    static let maximumStatements = 10_000
    static let maximumBodySize = 16 << 20

    let recorder: ActivityRecorder
    let queries: ProgressQueries

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/activity", use: record)
        router.get("/v1/activity/unattributed", use: unattributed)
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> ActivityRecorder.Outcome {
        let identity = try context.require(anyOf: .admin, orServiceWith: .activityWrite)
        var request = request
        let buffer = try await request.collectedBody(limit: Self.maximumBodySize)
        let isList = buffer.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "[")
        let activities =
            isList
            ? try LMSRequestDecoder.decode([LearningActivity].self, from: buffer)
            : [try LMSRequestDecoder.decode(LearningActivity.self, from: buffer)]
        var errors = ValidationErrors()
        errors.check(!activities.isEmpty, field: "body", message: "must hold at least one statement")
        errors.check(
            activities.count <= Self.maximumStatements,
            field: "body",
            message: "must hold at most \(Self.maximumStatements) statements"
        )
        for (index, activity) in activities.enumerated() {
            let prefix = isList ? "[\(index)]." : ""
            do {
                try activity.validate()
            } catch {
                errors.add(field: prefix + error.field, message: error.message)
            }
            errors.check(activity.tenantId == identity.tenantId, field: prefix + "tenantId", message: "must be the tenant of the token")
        }
        try errors.throwIfAny()
        return try await recorder.record(activities, traceparent: context.traceparent)
    }

    struct Unattributed: ResponseEncodable, Sendable {
        struct Course: Encodable, Sendable {
            var courseId: String
            var count: Int
        }
        var total: Int
        var items: [Course]
    }

    @Sendable func unattributed(_ request: Request, context: AppRequestContext) async throws -> Unattributed {
        let identity = try context.require(anyOf: .admin, orServiceWith: .activityWrite)
        let counts = try await queries.unattributedCounts(tenantId: identity.tenantId)
        return Unattributed(total: counts.reduce(0) { $0 + $1.count }, items: counts.map { .init(courseId: $0.courseId, count: $0.count) })
    }
}

extension ActivityRecorder.Outcome: ResponseEncodable {}
