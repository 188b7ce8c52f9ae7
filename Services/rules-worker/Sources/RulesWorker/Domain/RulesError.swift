import Foundation

/// Refusals of the segment and rule use cases; `HTTP/RulesError+Problem.swift` maps each to the
/// problem it answers with.
package enum RulesError: Error, Hashable, Sendable {
    /// Another segment or rule of the tenant has the name.
    case duplicateName(String)
    case segmentNotFound(UUID)
    case ruleNotFound(UUID)
    /// Only an active rule can be paused; this one is a draft.
    case draftCannotBePaused
    /// The segment a rule evaluates no longer exists.
    case ruleSegmentMissing
}
