/// A user before and after a batch of events.
struct UserTransition: Sendable {
    /// `nil` for a user seen for the first time.
    var old: ProjectedUser?
    var new: ProjectedUser
    /// The trace of the last event that changed the user, carried on the events this causes.
    var traceparent: String?
}
