/// What happens to a rule's enrollment when the user no longer matches (or the rule stops applying).
package enum OnUnmatch: String, CaseIterable, Hashable, Sendable, Codable {
    /// Nothing: the enrollment stays.
    case keep
    /// A `suspend-requested` command.
    case suspend
    /// A `withdraw-requested` command whose reason asks to withdraw only a not-started enrollment.
    case withdrawIfNotStarted
    /// A `withdraw-requested` command.
    case withdraw
}
