import Contracts

/// What happened to one import row: `{row, userId, result, errors?}`.
package struct ImportRowResult: Codable, Hashable, Sendable {
    package enum Result: String, Codable, Sendable {
        case created, updated, unchanged, rejected

        package init(_ outcome: UserChangeOutcome) {
            switch outcome {
            case .created: self = .created
            case .updated: self = .updated
            case .unchanged, .stale: self = .unchanged
            }
        }
    }

    package var row: Int
    package var userId: String?
    package var result: Result
    package var errors: [FieldError]?

    /// The field errors reported for a row the directory refused.
    package static func errors(for error: UserCommandError) -> [FieldError] {
        switch error.kind {
        case .invalid(let errors): errors
        case .erased: [FieldError(field: "userId", message: "was erased; an erased user cannot be imported again")]
        case .unknownUser, .alreadyExists: [FieldError(field: "userId", message: error.description)]
        }
    }
}
