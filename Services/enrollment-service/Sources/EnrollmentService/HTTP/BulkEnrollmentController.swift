import Contracts
import Foundation
import Hummingbird
import NIOCore
import ServiceHTTP
import ServicePlatform

/// `POST /v1/courses/{courseId}/enrollments:bulk`: up to 100,000 users as a JSON list
/// (`[{userId, role?, dueAt?, mandatory?}]` or `{"items": [...]}`) or as CSV with a header row
/// (`userId` column, optional `role`, `dueAt` and `mandatory`). Rows are enrolled in chunks, each
/// chunk one transaction with multi-row statements, and every row gets a result: `enrolled`,
/// `already_enrolled`, `waitlisted` or `rejected` with a reason. Repeating an import changes nothing: the rows are
/// then `already_enrolled`.
struct BulkEnrollmentController: Sendable {
    static let maximumRows = 100_000
    static let maximumBodySize = 64 << 20
    static let chunkSize = 2_000

    let manual: ManualEnrollment
    /// A bulk import checks that the course exists before its first chunk.
    let catalog: CourseCatalog
    let access: CourseAccess

    /// The route template, as the platform's body limits name it.
    static let route = "/v1/courses/{courseId}/enrollments:bulk"

    func register(on router: Router<AppRequestContext>) {
        router.post(RouterPath(Self.route), use: importRows)
    }

    @Sendable func importRows(_ request: Request, context: AppRequestContext) async throws -> BulkResult {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireManager(courseId, context, serviceScope: .enrollmentsWrite)
        var request = request
        let body =
            try await Self.isCSV(request.headers[.contentType])
            ? request.collectedBody(limit: Self.maximumBodySize, maximumRows: Self.maximumRows, counting: CSVRecordCounter())
            : request.collectedBody(limit: Self.maximumBodySize, maximumRows: Self.maximumRows, counting: JSONArrayElementCounter())
        let rows = try Self.parse(body, contentType: request.headers[.contentType])
        guard rows.count <= Self.maximumRows else {
            throw Problem.validation(
                [FieldError(field: "body", message: "has \(rows.count) rows; at most \(Self.maximumRows) are accepted")],
                detail: "Too many rows."
            )
        }
        let exists = try await catalog.find(CourseKey(tenantId: identity.tenantId, courseId: courseId))
        guard exists != nil else { throw Problem.notFound("Course \(courseId)") }

        let importId = UUID().lowercasedString
        let reason = "bulk import \(importId)"
        var items: [BulkResult.Item] = []
        items.reserveCapacity(rows.count)
        // A chunk's requests are built only when its turn comes: memory holds one chunk of them.
        var start = 0
        while start < rows.count {
            var pending: [(item: Int, request: EnrollmentRequest)] = []
            for row in rows[start..<min(start + Self.chunkSize, rows.count)] {
                let index = items.count
                items.append(BulkResult.Item(row: row.row, userId: row.userId, result: .rejected))
                switch row.validated(mayEnrollInstructors: identity.has(.admin)) {
                case .failure(let failure):
                    items[index].reason = failure.reason
                case .success(let (role, dueAt, mandatory)):
                    let enrollment = EnrollmentRequest(
                        tenantId: identity.tenantId,
                        courseId: courseId,
                        userId: row.userId,
                        role: role,
                        source: .import,
                        sourceRef: importId,
                        dueAt: dueAt,
                        actor: identity.userId,
                        reason: reason,
                        mandatory: mandatory
                    )
                    pending.append((index, enrollment))
                }
            }
            start += Self.chunkSize
            guard !pending.isEmpty else { continue }
            let requests = pending.map(\.request)
            let outcomes = try await manual.enroll(requests, traceparent: context.traceparent)
            for (entry, outcome) in zip(pending, outcomes) {
                items[entry.item].apply(outcome)
            }
        }
        return BulkResult(importId: importId, courseId: courseId, items: items)
    }

    // MARK: Parsing

    /// One input row before validation.
    struct Row: Sendable {
        var row: Int
        var userId: String
        var role: String?
        var dueAt: String?
        /// `true`/`false` (CSV also `yes`/`no`, `1`/`0`); empty means `false`.
        var mandatory: String? = nil

        func validated(mayEnrollInstructors: Bool) -> Result<(EnrollmentRole, Date?, Bool), BulkFailure> {
            guard InputRules.isIdentifier(userId) else { return .failure(BulkFailure("userId must have 1-128 characters")) }
            var role = EnrollmentRole.learner
            if let text = self.role, !text.isEmpty {
                guard let parsed = EnrollmentRole(rawValue: text) else {
                    return .failure(BulkFailure("role must be learner or instructor"))
                }
                guard parsed == .learner || mayEnrollInstructors else {
                    return .failure(BulkFailure("only admins may enroll instructors"))
                }
                role = parsed
            }
            var due: Date?
            if let text = dueAt, !text.isEmpty {
                guard let parsed = RFC3339.parse(text) ?? CalendarDate(text)?.startOfDayUTC else {
                    return .failure(BulkFailure("dueAt must be an RFC 3339 instant or a date YYYY-MM-DD"))
                }
                due = parsed
            }
            var mandatory = false
            if let text = self.mandatory, !text.isEmpty {
                switch text.lowercased() {
                case "true", "yes", "1": mandatory = true
                case "false", "no", "0": mandatory = false
                default: return .failure(BulkFailure("mandatory must be true or false"))
                }
            }
            return .success((role, due, mandatory))
        }
    }

    struct BulkFailure: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Whether the body is CSV (else JSON) by its `Content-Type`.
    static func isCSV(_ contentType: String?) -> Bool {
        mediaType(contentType) == "text/csv"
    }

    static func mediaType(_ contentType: String?) -> String {
        contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    }

    static func parse(_ body: ByteBuffer, contentType: String?) throws -> [Row] {
        let bytes = Array(body.readableBytesView)
        switch mediaType(contentType) {
        case "text/csv":
            return try parseCSV(bytes)
        case "application/json", "":
            return try parseJSON(body)
        default:
            throw Problem.unsupportedMediaType(["application/json", "text/csv"])
        }
    }

    private static func parseJSON(_ body: ByteBuffer) throws -> [Row] {
        let list = try LMSRequestDecoder.decode(JSONRows.self, from: body)
        return list.items.enumerated().map { index, item in
            Row(row: index + 1, userId: item.userId, role: item.role, dueAt: item.dueAt, mandatory: item.mandatory.map { $0 ? "true" : "false" })
        }
    }

    private static func parseCSV(_ bytes: [UInt8]) throws -> [Row] {
        let records: [CSVRecord]
        do {
            records = try CSVReader.records(bytes)
        } catch {
            throw Problem.badRequest(
                "The CSV document cannot be read.",
                errors: [FieldError(field: "line \(error.line)", message: error.message)]
            )
        }
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "") }
        guard let userColumn = names.firstIndex(of: "userid") else {
            throw Problem.validation(
                [FieldError(field: "header", message: "the first line must name the columns and include userId (optional: role, dueAt, mandatory)")],
                detail: "The CSV header has no userId column."
            )
        }
        let roleColumn = names.firstIndex(of: "role")
        let dueColumn = names.firstIndex(of: "dueat")
        let mandatoryColumn = names.firstIndex(of: "mandatory")
        return records.dropFirst().enumerated().map { index, record in
            func field(_ column: Int?) -> String? {
                guard let column, column < record.fields.count else { return nil }
                return record.fields[column].trimmingCharacters(in: .whitespaces)
            }
            return Row(
                row: index + 1,
                userId: field(userColumn) ?? "",
                role: field(roleColumn),
                dueAt: field(dueColumn),
                mandatory: field(mandatoryColumn)
            )
        }
    }

    /// A JSON body: a bare list or `{"items": [...]}`.
    private struct JSONRows: Decodable {
        var items: [Item]

        struct Item: Decodable {
            var userId: String
            var role: String?
            var dueAt: String?
            var mandatory: Bool?
        }

        private enum CodingKeys: String, CodingKey {
            case items
        }

        init(from decoder: any Decoder) throws {
            if let list = try? decoder.singleValueContainer().decode([Item].self) {
                items = list
            } else {
                items = try decoder.container(keyedBy: CodingKeys.self).decode([Item].self, forKey: .items)
            }
        }
    }
}
