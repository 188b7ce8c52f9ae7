import Contracts
import Foundation
import Segments
import ServiceHTTP

/// The body of `POST /v1/rules`, `PUT /v1/rules/{id}` and (optionally) `POST /v1/rules/{id}:preview`.
package struct RuleInput: Decodable, Sendable {
    package static let maximumCourses = 100
    package static let dueInDaysRange = 1...3_650

    package var name: String?
    package var description: String?
    package var segmentId: String?
    package var criteria: JSONValue?
    package var courseIds: [String]?
    package var backfill: Bool?
    package var onUnmatch: String?
    package var dueInDays: Int?
    package var effectiveFrom: Date?
    package var effectiveTo: Date?
    /// Whether the enrollments the rule makes are mandatory (learners cannot withdraw themselves); default true.
    package var mandatory: Bool?

    /// The rule's definition, checked field by field (`segmentExists` answers whether the tenant has the segment).
    package func definition(segmentExists: (UUID) async throws -> Bool) async throws -> RuleDefinition {
        var errors = ValidationErrors()
        let name = InputChecks.name(self.name, field: "name", required: true, errors: &errors)
        let description = InputChecks.description(self.description, errors: &errors)
        var segment: UUID?
        var criteria: Criteria?
        switch (segmentId, self.criteria.flatMap { $0 == .null ? nil : $0 }) {
        case (nil, nil):
            errors.add(field: "criteria", message: "either segmentId or criteria is required")
        case (.some, .some):
            errors.add(field: "segmentId", message: "give either segmentId or criteria, not both")
        case (let text?, nil):
            if let id = UUID(uuidString: text) {
                if try await segmentExists(id) { segment = id } else { errors.add(field: "segmentId", message: "no such segment") }
            } else {
                errors.add(field: "segmentId", message: "must be a UUID")
            }
        case (nil, let json?):
            criteria = InputChecks.criteria(json, errors: &errors)
        }
        let courses = courseIds ?? []
        if courseIds == nil {
            errors.add(field: "courseIds", message: "is required")
        } else if courses.isEmpty || courses.count > Self.maximumCourses {
            errors.add(field: "courseIds", message: "must list 1 to \(Self.maximumCourses) courses")
        }
        var seen = Set<String>()
        for (index, course) in courses.enumerated() {
            if course.isEmpty || course.unicodeScalars.count > 128 {
                errors.add(field: "courseIds[\(index)]", message: "must be 1-128 characters")
            } else if !seen.insert(course).inserted {
                errors.add(field: "courseIds[\(index)]", message: "is listed twice")
            }
        }
        var policy = OnUnmatch.keep
        if let text = onUnmatch {
            if let parsed = OnUnmatch(rawValue: text) {
                policy = parsed
            } else {
                errors.add(field: "onUnmatch", message: "must be one of \(OnUnmatch.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let days = dueInDays, !Self.dueInDaysRange.contains(days) {
            errors.add(field: "dueInDays", message: "must be from \(Self.dueInDaysRange.lowerBound) to \(Self.dueInDaysRange.upperBound)")
        }
        if let from = effectiveFrom, let to = effectiveTo, to <= from {
            errors.add(field: "effectiveTo", message: "must be after effectiveFrom")
        }
        try errors.throwIfAny()
        return RuleDefinition(
            name: name ?? "",
            description: description,
            segmentId: segment,
            criteria: criteria,
            courseIds: courses,
            backfill: backfill ?? false,
            onUnmatch: policy,
            dueInDays: dueInDays,
            effectiveFrom: effectiveFrom,
            effectiveTo: effectiveTo,
            mandatory: mandatory ?? true
        )
    }
}
