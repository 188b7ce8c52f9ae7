import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServicePlatform

/// The report API. Every report answers JSON (the report topic payloads; lists as `{items}`) or,
/// with `?format=csv` or `Accept: text/csv`, CSV streamed from the database.
struct ReportController: Sendable {
    let reader: ReportReader
    let access: ReportAccess
    let clock: any ServiceClock
    let logger: Logger

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/reports/courses/:courseId/summary", use: summary)
        router.get("/v1/reports/compliance", use: compliance)
        router.get("/v1/reports/learners/:userId/transcript", use: transcript)
        router.get("/v1/reports/overdue", use: overdue)
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireCourseReader(context, course: courseId)
        let now = clock.now()
        let key = CourseKey(tenantId: identity.tenantId, courseId: courseId)
        guard let report = try await reader.summary(key, asOf: now) else { throw Problem.notFound("Course \(courseId)") }
        if try CSVFormat.isRequested(by: request) {
            return CSVFormat.response(filename: "course-summary-\(courseId).csv", header: ReportCSV.summaryHeader) { stream in
                try await stream.write(ReportCSV.summary(report))
            }
        }
        return try context.responseEncoder.encode(report, from: request, context: context)
    }

    @Sendable func compliance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var errors = ValidationErrors()
        let courseId = query["courseId"].map(String.init)
        if let courseId { InputRules.checkIdentifier(courseId, field: "courseId", into: &errors) }
        let groupBy = query["groupBy"].map(String.init) ?? ComplianceDimension.department.rawValue
        let dimension = ComplianceDimension(rawValue: groupBy)
        if dimension == nil { errors.add(field: "groupBy", message: "must be one of department, location, jobRole") }
        try errors.throwIfAny()
        let identity = try await access.requireReader(context, course: courseId)
        let now = clock.now()
        let reports = try await reader.compliance(
            tenantId: identity.tenantId,
            courseId: courseId,
            dimension: dimension ?? .department,
            asOf: now
        )
        if try CSVFormat.isRequested(by: request) {
            return CSVFormat.response(filename: "compliance-\(groupBy).csv", header: ReportCSV.complianceHeader) { stream in
                for report in reports { try await stream.write(ReportCSV.compliance(report)) }
            }
        }
        return try context.responseEncoder.encode(ComplianceList(items: reports), from: request, context: context)
    }

    @Sendable func transcript(_ request: Request, context: AppRequestContext) async throws -> Response {
        let userId = try InputRules.pathIdentifier(try context.parameters.require("userId"), resource: "User")
        let identity = try await access.requireTranscriptReader(context, user: userId)
        let now = clock.now()
        let entries = try await reader.transcript(tenantId: identity.tenantId, userId: userId, asOf: now)
        if try CSVFormat.isRequested(by: request) {
            return CSVFormat.response(filename: "transcript-\(userId).csv", header: ReportCSV.transcriptHeader) { stream in
                for entry in entries { try await stream.write(ReportCSV.transcript(entry)) }
            }
        }
        let view = TranscriptView(tenantId: identity.tenantId, userId: userId, asOf: now, items: entries)
        return try context.responseEncoder.encode(view, from: request, context: context)
    }

    /// JSON pages with `?limit=&cursor=`; CSV streams every overdue enrollment.
    @Sendable func overdue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var errors = ValidationErrors()
        let courseId = query["courseId"].map(String.init)
        if let courseId { InputRules.checkIdentifier(courseId, field: "courseId", into: &errors) }
        let department = query["department"].map(String.init)
        if let department, department.count > 256 { errors.add(field: "department", message: "must be at most 256 characters") }
        try errors.throwIfAny()
        let identity = try await access.requireReader(context, course: courseId)
        let now = clock.now()
        let tenantId = identity.tenantId
        let page = try PageRequest(request: request)  // checked for CSV too, which streams everything
        if try CSVFormat.isRequested(by: request) {
            let reader = reader
            let logger = logger
            return CSVFormat.response(filename: "overdue.csv", header: ReportCSV.overdueHeader) { stream in
                do {
                    try await reader.overdue(
                        tenantId: tenantId,
                        courseId: courseId,
                        department: department,
                        asOf: now,
                        after: nil,
                        limit: nil
                    ) { entry in try await stream.write(ReportCSV.overdue(entry)) }
                } catch {
                    logger.error("Overdue CSV stream failed", metadata: ["error": "\(String(reflecting: error))"])
                    throw error
                }
            }
        }
        var after: (String, String, Int)?
        if let cursor = page.cursor {
            guard cursor.values.count == 3, let cycle = Int(cursor.values[2]) else {
                throw Problem.badRequest(
                    "Invalid paging parameters.",
                    errors: [FieldError(field: "cursor", message: "is not a cursor returned by this endpoint")]
                )
            }
            after = (cursor.values[0], cursor.values[1], cycle)
        }
        var rows: [OverdueEntry] = []
        try await reader.overdue(
            tenantId: tenantId,
            courseId: courseId,
            department: department,
            asOf: now,
            after: after,
            limit: page.fetchLimit
        ) { rows.append($0) }
        let result = Page(fetched: rows, request: page) { Cursor(values: [$0.courseId, $0.userId, String($0.cycle)]) }
        return try context.responseEncoder.encode(result, from: request, context: context)
    }
}
