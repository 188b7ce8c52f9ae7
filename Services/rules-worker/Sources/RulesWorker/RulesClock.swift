import Foundation

/// The time rules-worker evaluates at: relative date operators, effective windows, due dates and
/// the sweep. Injected so tests can move days forward.
public protocol RulesClock: Sendable {
    func now() -> Date
}
