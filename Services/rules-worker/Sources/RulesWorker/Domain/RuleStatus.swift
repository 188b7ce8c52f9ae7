/// A rule's lifecycle: created as `draft`, `active` while it enrolls, `paused` when stopped.
package enum RuleStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case draft, active, paused
}
