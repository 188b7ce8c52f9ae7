/// The state of a user after a write, and what the write did.
package struct UserWriteResult: Sendable {
    package var record: UserRecord?
    package var outcome: UserChangeOutcome
}
