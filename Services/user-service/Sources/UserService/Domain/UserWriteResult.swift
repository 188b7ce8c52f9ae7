/// The state of a user after a write, and what the write did.
struct UserWriteResult: Sendable {
    var record: UserRecord?
    var outcome: UserChangeOutcome
}
