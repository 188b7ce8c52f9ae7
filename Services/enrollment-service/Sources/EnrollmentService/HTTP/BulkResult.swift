import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// The answer of a bulk import: a summary and one result per row, in input order.
struct BulkResult: ResponseGenerator, Sendable {
    enum Outcome: String, Encodable, Sendable {
        case enrolled
        case alreadyEnrolled = "already_enrolled"
        case waitlisted
        case rejected
    }

    struct Item: Encodable, Sendable {
        /// 1-based position among the data rows (the CSV header is not counted).
        var row: Int
        var userId: String
        var result: Outcome
        var enrollmentId: String?
        var status: EnrollmentStatus?
        var reason: String?

        mutating func apply(_ outcome: EnrollmentOutcome) {
            switch outcome {
            case .enrolled: result = .enrolled
            case .waitlisted: result = .waitlisted
            case .alreadyEnrolled: result = .alreadyEnrolled
            case .rejected(let rejection):
                result = .rejected
                reason = rejection.description
            }
            enrollmentId = outcome.record?.enrollmentId.lowercasedString
            status = outcome.record?.status
        }
    }

    struct Summary: Encodable, Sendable {
        var total = 0
        var enrolled = 0
        var alreadyEnrolled = 0
        var waitlisted = 0
        var rejected = 0
    }

    var importId: String
    var courseId: String
    var summary: Summary
    var items: [Item]

    init(importId: String, courseId: String, items: [Item]) {
        self.importId = importId
        self.courseId = courseId
        self.items = items
        var summary = Summary(total: items.count)
        for item in items {
            switch item.result {
            case .enrolled: summary.enrolled += 1
            case .alreadyEnrolled: summary.alreadyEnrolled += 1
            case .waitlisted: summary.waitlisted += 1
            case .rejected: summary.rejected += 1
            }
        }
        self.summary = summary
    }

    /// The members besides `items`.
    private struct Head: Encodable, Sendable {
        var importId: String
        var courseId: String
        var summary: Summary
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try LargeArrayResponse(head: Head(importId: importId, courseId: courseId, summary: summary), key: "items", elements: items)
            .response(from: request, context: context)
    }
}
