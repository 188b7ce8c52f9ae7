import Contracts
import Foundation
import ServiceHTTP

/// The body of `PUT /v1/courses/{courseId}`: the contract's course settings without the fields the
/// service owns (`tenantId`, `version`, `updatedAt`).
struct CourseInput: Decodable, Sendable {
    var courseId: String?
    var title: String
    var capacity: Int?
    var waitlist: Bool?
    var enrollmentOpensAt: Date?
    var enrollmentClosesAt: Date?
    var selfEnrollment: SelfEnrollmentInput?
    var defaultDueDays: Int?
    var accessDays: Int?
    var recertifyEveryDays: Int?
    var modules: [String]?
    var passingScore: Double?

    struct SelfEnrollmentInput: Decodable, Sendable {
        var enabled: Bool
        var requiredProfileFields: [String]?
        var restrictToSegmentId: UUID?
    }

    /// Validated settings, or a 422 problem listing every invalid field.
    func settings(tenantId: String, courseId: String, now: Date) throws(Problem) -> CourseSettings {
        var errors = ValidationErrors()
        InputRules.checkIdentifier(courseId, field: "courseId", into: &errors)
        if let bodyId = self.courseId {
            errors.check(bodyId == courseId, field: "courseId", message: "must match the course id in the path")
        }
        errors.check((1...512).contains(title.unicodeScalars.count), field: "title", message: "must have 1-512 characters")
        if let capacity { errors.check((0...Int(Int32.max)).contains(capacity), field: "capacity", message: "must be from 0 to \(Int32.max)") }
        if let opens = enrollmentOpensAt, let closes = enrollmentClosesAt {
            errors.check(closes >= opens, field: "enrollmentClosesAt", message: "must not be before enrollmentOpensAt")
        }
        let required = selfEnrollment?.requiredProfileFields ?? []
        for (index, field) in required.enumerated() {
            errors.check(
                ProfileRequirements.isKnownField(field),
                field: "selfEnrollment.requiredProfileFields[\(index)]",
                message: "must be a profile field (\(ProfileRequirements.knownFields.joined(separator: ", "))) or attributes.<name>"
            )
        }
        errors.check(Set(required).count == required.count, field: "selfEnrollment.requiredProfileFields", message: "must not repeat a field")
        if let days = defaultDueDays { errors.check((0...36_500).contains(days), field: "defaultDueDays", message: "must be from 0 to 36500") }
        if let days = accessDays { errors.check((1...36_500).contains(days), field: "accessDays", message: "must be from 1 to 36500") }
        if let days = recertifyEveryDays {
            errors.check((1...36_500).contains(days), field: "recertifyEveryDays", message: "must be from 1 to 36500")
        }
        for (index, module) in (modules ?? []).enumerated() {
            InputRules.checkIdentifier(module, field: "modules[\(index)]", into: &errors)
        }
        if let score = passingScore { errors.check((0...100).contains(score), field: "passingScore", message: "must be from 0 to 100") }
        try errors.throwIfAny()

        return CourseSettings(
            tenantId: tenantId,
            courseId: courseId,
            title: title,
            capacity: capacity,
            waitlist: waitlist ?? false,
            enrollmentOpensAt: enrollmentOpensAt,
            enrollmentClosesAt: enrollmentClosesAt,
            selfEnrollment: SelfEnrollmentSettings(
                enabled: selfEnrollment?.enabled ?? false,
                requiredProfileFields: required,
                restrictToSegmentId: selfEnrollment?.restrictToSegmentId
            ),
            defaultDueDays: defaultDueDays,
            accessDays: accessDays,
            recertifyEveryDays: recertifyEveryDays,
            modules: modules ?? [],
            passingScore: passingScore,
            version: 1,
            updatedAt: now
        )
    }
}
