import Contracts
import Segments
import ServiceHTTP

/// The body of `POST /v1/segments`, `PUT /v1/segments/{id}` (criteria only: `POST /v1/segments:preview`).
package struct SegmentInput: Decodable, Sendable {
    package var name: String?
    package var description: String?
    package var criteria: JSONValue?

    /// The validated name, description and criteria; every problem is reported at once.
    package func validated(requireName: Bool = true) throws(Problem) -> (name: String, description: String?, criteria: Criteria) {
        var errors = ValidationErrors()
        let name = InputChecks.name(self.name, field: "name", required: requireName, errors: &errors)
        let description = InputChecks.description(self.description, errors: &errors)
        let criteria = InputChecks.criteria(self.criteria, errors: &errors)
        try errors.throwIfAny()
        guard let criteria else { throw Problem.validation([FieldError(field: "criteria", message: "is required")]) }
        return (name ?? "", description, criteria)
    }
}
