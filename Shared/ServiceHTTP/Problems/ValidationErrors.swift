import Contracts

/// Collects field errors so a handler can report them all at once as a 422 problem.
///
/// ```swift
/// var errors = ValidationErrors()
/// errors.check(!body.title.isEmpty, field: "title", message: "must not be empty")
/// errors.check(body.capacity.map { $0 > 0 } ?? true, field: "capacity", message: "must be positive")
/// try errors.throwIfAny()
/// ```
public struct ValidationErrors: Sendable, Hashable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public var isEmpty: Bool { errors.isEmpty }

    /// Records an error for `field`.
    public mutating func add(field: String, message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Records an error for `field` unless `condition` holds; returns `condition`.
    @discardableResult
    public mutating func check(_ condition: Bool, field: String, message: String) -> Bool {
        if !condition { add(field: field, message: message) }
        return condition
    }

    /// Throws a 422 ``Problem/validation(_:detail:)`` when any error was recorded.
    public func throwIfAny() throws(Problem) {
        guard errors.isEmpty else { throw Problem.validation(errors) }
    }
}
