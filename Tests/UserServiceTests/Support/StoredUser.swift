import Contracts

/// A `users` row as the tests look at it (decoded from `row_to_json`).
struct StoredUser: Decodable, Sendable, Equatable {
    var status: String
    var email: String?
    var givenName: String?
    var familyName: String?
    var jobRole: String?
    var department: String?
    var location: String?
    var hireDate: String?
    var managerId: String?
    var attributes: JSONValue
    var version: Int64
    var sourceVersion: Int64?

    enum CodingKeys: String, CodingKey {
        case status, email, department, location, attributes, version
        case givenName = "given_name"
        case familyName = "family_name"
        case jobRole = "job_role"
        case hireDate = "hire_date"
        case managerId = "manager_id"
        case sourceVersion = "source_version"
    }
}
