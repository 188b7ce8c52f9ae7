import Contracts

/// A `users` row as the tests look at it.
struct StoredUser: Sendable, Equatable {
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
}
