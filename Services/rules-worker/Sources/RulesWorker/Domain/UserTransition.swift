/// A user before and after a batch of events.
package struct UserTransition: Sendable {
    /// `nil` for a user seen for the first time.
    package var old: ProjectedUser?
    package var new: ProjectedUser
    /// The trace of the last event that changed the user, carried on the events this causes.
    package var traceparent: String?
}
