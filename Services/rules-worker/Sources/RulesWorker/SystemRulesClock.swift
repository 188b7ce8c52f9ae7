import Foundation

/// The real time.
public struct SystemRulesClock: RulesClock {
    public init() {}

    public func now() -> Date { Date() }
}
