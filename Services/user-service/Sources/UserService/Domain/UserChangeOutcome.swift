/// What applying one command did.
package enum UserChangeOutcome: String, Sendable, Codable {
    case created
    case updated
    /// Valid, but the user already was in the requested state: nothing is published.
    case unchanged
    /// The event's `sourceVersion` is not above the applied one: ignored.
    case stale
}
