/// A CloudEvents `data` payload of the contract.
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The `ce_type`s that carry this payload.
    static var eventTypes: [EventType] { get }
    var tenantId: String { get }
    /// `ce_subject` and the part of the Kafka key after `<tenantId>/`: the user for user, command,
    /// enrollment, progress and activity events; the course for course and course-summary events;
    /// `courseId/dimension/value` for compliance reports.
    var aggregateId: String { get }
    /// Checks the rules the type system cannot (id lengths, tenant slug, ranges, email shape). The JSON
    /// Schema of the type states the same rules. The error names the offending field.
    func validate() throws(PayloadValidationError)
}

extension EventPayload {
    /// The default checks only the tenant; every payload of the contract overrides it.
    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
    }
}
