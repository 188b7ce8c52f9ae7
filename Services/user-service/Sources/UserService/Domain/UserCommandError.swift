import Contracts

/// Why a command cannot apply. `errorClass` is the dead-letter class of a refused event.
package struct UserCommandError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Kind: Hashable, Sendable {
        /// No such user in the tenant (events other than `created` and `erased`; API calls).
        case unknownUser
        /// `create` of a `userId` that is taken.
        case alreadyExists
        /// The user is an erased tombstone; only a repeated erase applies.
        case erased
        /// The resulting profile breaks the contract's rules.
        case invalid([FieldError])
    }

    package var kind: Kind
    package var key: UserKey

    package init(kind: Kind, key: UserKey) {
        self.kind = kind
        self.key = key
    }

    package var errorClass: String {
        switch kind {
        case .unknownUser: "unknown-user"
        case .alreadyExists: "user-exists"
        case .erased: "user-erased"
        case .invalid: "invalid-profile"
        }
    }

    package var description: String {
        switch kind {
        case .unknownUser: "user \(key.userId) does not exist in tenant \(key.tenantId)"
        case .alreadyExists: "user \(key.userId) already exists in tenant \(key.tenantId)"
        case .erased: "user \(key.userId) was erased; its id cannot be used again"
        case .invalid(let errors): "invalid profile: \(errors.map(\.description).joined(separator: "; "))"
        }
    }
}
