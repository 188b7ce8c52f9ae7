import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// Manual enrollment and the enrollment lifecycle over HTTP.
///
/// `POST /v1/enrollments/{id}:withdraw|:suspend|:reactivate`: Hummingbird reads a path segment
/// starting with `:` as a parameter, so the route is `/v1/enrollments/:id` and the action is the
/// text after the last `:` of that segment.
struct EnrollmentController: Sendable {
    let manual: ManualEnrollment
    let lookup: EnrollmentLookup
    let access: CourseAccess

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/courses/:courseId/enrollments", use: enroll)
        router.get("/v1/courses/:courseId/enrollments", use: listCourse)
        router.get("/v1/enrollments/:id", use: get)
        router.patch("/v1/enrollments/:id", use: patch)
        router.post("/v1/enrollments/:id", use: act)
        router.get("/v1/users/:userId/enrollments", use: listUser)
    }

    // MARK: Manual enrollment

    struct EnrollInput: Decodable, Sendable {
        var userId: String
        var role: EnrollmentRole?
        var dueAt: Date?
        var reason: String?
        /// The learner may not withdraw itself (default false).
        var mandatory: Bool?
    }

    /// 201 with the new (or reopened) enrollment, `active` or `waitlisted`; 200 with the existing
    /// one when the user is already enrolled.
    @Sendable func enroll(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<EnrollmentView> {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireManager(courseId, context, serviceScope: .enrollmentsWrite)
        let input = try await request.decode(as: EnrollInput.self, context: context)
        var errors = ValidationErrors()
        InputRules.checkIdentifier(input.userId, field: "userId", into: &errors)
        InputRules.checkReason(input.reason, into: &errors)
        try errors.throwIfAny()
        let role = input.role ?? .learner
        if role == .instructor && !identity.has(.admin) {
            throw Problem.forbidden("Only admins may enroll instructors.")
        }
        let byPerson = identity.has(.admin) || identity.has(.instructor)
        let enrollment = EnrollmentRequest(
            tenantId: identity.tenantId,
            courseId: courseId,
            userId: input.userId,
            role: role,
            source: byPerson ? .manual : .api,
            sourceRef: identity.userId,
            dueAt: input.dueAt,
            actor: identity.userId,
            reason: input.reason,
            mandatory: input.mandatory ?? false
        )
        let outcome = try await manual.enroll([enrollment], traceparent: context.traceparent)[0]
        switch outcome {
        case .enrolled(let record), .waitlisted(let record): return EditedResponse(status: .created, response: EnrollmentView(record))
        case .alreadyEnrolled(let record): return EditedResponse(status: .ok, response: EnrollmentView(record))
        case .rejected(.courseNotFound): throw EnrollmentError.notFound("Course \(courseId)")
        case .rejected(.courseFull): throw EnrollmentError.courseFull(courseId: courseId)
        case .rejected(.learnerNotActive(let status)):
            throw EnrollmentError.learnerNotActive(userId: input.userId, status: status, selfEnrollment: false)
        case .rejected(.excluded): throw EnrollmentError.conflict("The user is excluded from this course.")
        }
    }

    @Sendable func listCourse(_ request: Request, context: AppRequestContext) async throws -> Page<EnrollmentView> {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireManager(courseId, context, serviceScope: .enrollmentsRead)
        let page = try PageRequest(request: request)
        let query = request.uri.queryParameters
        var errors: [FieldError] = []
        func filter<Value: RawRepresentable & CaseIterable>(_ field: String) -> Value? where Value.RawValue == String {
            guard let text = query[Substring(field)] else { return nil }
            guard let value = Value(rawValue: String(text)) else {
                let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError(field: field, message: "must be one of \(allowed)"))
                return nil
            }
            return value
        }
        let status: EnrollmentStatus? = filter("status")
        let source: EnrollmentSource? = filter("source")
        guard errors.isEmpty else { throw Problem.badRequest("Invalid filter.", errors: errors) }
        let after = try page.cursor.map(Self.sequence)
        let rows = try await lookup.list(
            course: CourseKey(tenantId: identity.tenantId, courseId: courseId),
            status: status,
            source: source,
            afterSeq: after,
            limit: page.fetchLimit
        )
        return Self.page(rows, request: page)
    }

    // MARK: One enrollment

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> EnrollmentView {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let id = try Self.enrollmentId(try context.parameters.require("id"))
        let (record, history) = try await lookup.detail(id, caller: access.caller(identity, serviceScope: .enrollmentsRead))
        return EnrollmentView(record, history: history)
    }

    struct ActionInput: Decodable, Sendable {
        var reason: String?
    }

    /// `POST /v1/enrollments/{id}:withdraw`, `:suspend`, `:reactivate`, each with an optional `{reason}`.
    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> EnrollmentView {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsWrite)
        let segment = try context.parameters.require("id")
        guard let colon = segment.lastIndex(of: ":") else { throw Problem.notFound("Resource /v1/enrollments/\(segment)") }
        let id = try Self.enrollmentId(String(segment[..<colon]))
        let verb = segment[segment.index(after: colon)...]
        let command: LifecycleCommand
        switch verb {
        case "withdraw": command = .withdraw
        case "suspend": command = .suspend(nil)
        case "reactivate": command = .reactivate
        default: throw Problem.notFound("Action \(verb)")
        }
        let input = try await RequestBody.decodeOptional(ActionInput.self, from: request, context: context, empty: ActionInput())
        var errors = ValidationErrors()
        InputRules.checkReason(input.reason, into: &errors)
        try errors.throwIfAny()

        let record = try await manual.act(
            command,
            verb: String(verb),
            on: id,
            caller: access.caller(identity, serviceScope: .enrollmentsWrite),
            reason: input.reason,
            traceparent: context.traceparent
        )
        return EnrollmentView(record)
    }

    /// `PATCH /v1/enrollments/{id}` with `{"dueAt"?: "<instant>" | null, "mandatory"?: bool, "reason"?}`
    /// (at least one of `dueAt` and `mandatory`).
    struct PatchInput: Decodable, Sendable {
        var dueAt: Date?
        var hasDueAt: Bool
        var mandatory: Bool?
        var reason: String?

        private enum CodingKeys: String, CodingKey {
            case dueAt, mandatory, reason
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            hasDueAt = container.contains(.dueAt)
            dueAt = try container.decodeIfPresent(Date.self, forKey: .dueAt)
            mandatory = try container.decodeIfPresent(Bool.self, forKey: .mandatory)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
        }

        var edit: EnrollmentEdit {
            EnrollmentEdit(dueAt: hasDueAt ? .some(dueAt) : nil, mandatory: mandatory)
        }
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> EnrollmentView {
        let identity = try context.require(anyOf: .admin, .instructor, orServiceWith: .enrollmentsWrite)
        let id = try Self.enrollmentId(try context.parameters.require("id"))
        let input = try await request.decode(as: PatchInput.self, context: context)
        var errors = ValidationErrors()
        errors.check(
            input.hasDueAt || input.mandatory != nil,
            field: "dueAt",
            message: "give dueAt (null clears the due date), mandatory, or both"
        )
        InputRules.checkReason(input.reason, into: &errors)
        try errors.throwIfAny()
        let changed = try await manual.edit(
            id,
            input.edit,
            caller: access.caller(identity, serviceScope: .enrollmentsWrite),
            reason: input.reason,
            traceparent: context.traceparent
        )
        return EnrollmentView(changed)
    }

    /// A user's enrollments: admins and `enrollments:read` services see anyone's, everybody else only its own.
    @Sendable func listUser(_ request: Request, context: AppRequestContext) async throws -> Page<EnrollmentView> {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let userId = try InputRules.pathIdentifier(try context.parameters.require("userId"), resource: "User")
        guard identity.has(.admin) || identity.isService(with: .enrollmentsRead) || identity.userId == userId else {
            throw Problem.forbidden("Learners may list only their own enrollments.")
        }
        let page = try PageRequest(request: request)
        let after = try page.cursor.map(Self.sequence)
        let rows = try await lookup.list(user: UserKey(tenantId: identity.tenantId, userId: userId), afterSeq: after, limit: page.fetchLimit)
        return Self.page(rows, request: page)
    }

    // MARK: Helpers

    static func enrollmentId(_ text: String) throws(Problem) -> UUID {
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("Enrollment \(text)") }
        return id
    }

    static func sequence(_ cursor: Cursor) throws(Problem) -> Int64 {
        guard cursor.values.count == 1, let value = Int64(cursor.values[0]) else {
            throw Problem.badRequest(
                "Invalid paging parameters.",
                errors: [FieldError(field: "cursor", message: "is not a cursor returned by this endpoint")]
            )
        }
        return value
    }

    static func page(_ rows: [(seq: Int64, record: EnrollmentRecord)], request: PageRequest) -> Page<EnrollmentView> {
        let kept = Array(rows.prefix(request.limit))
        let next = rows.count > request.limit ? kept.last.map { Cursor(values: [String($0.seq)]) } : nil
        return Page(items: kept.map { EnrollmentView($0.record) }, nextCursor: next)
    }
}
