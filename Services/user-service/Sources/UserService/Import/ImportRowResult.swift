import ServiceHTTP

/// What happened to one import row: `{row, userId, result, errors?}`.
struct ImportRowResult: Codable, Hashable, Sendable {
    enum Result: String, Codable, Sendable {
        case created, updated, unchanged, rejected

        init(_ outcome: UserChangeOutcome) {
            switch outcome {
            case .created: self = .created
            case .updated: self = .updated
            case .unchanged, .stale: self = .unchanged
            }
        }
    }

    var row: Int
    var userId: String?
    var result: Result
    var errors: [FieldError]?

    /// The field errors reported for a row the directory refused.
    static func errors(for error: UserCommandError) -> [FieldError] {
        switch error.kind {
        case .invalid(let errors): errors
        case .erased: [FieldError(field: "userId", message: "was erased; an erased user cannot be imported again")]
        case .unknownUser, .alreadyExists: [FieldError(field: "userId", message: error.description)]
        }
    }
}
