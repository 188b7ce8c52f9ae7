import Synchronization

/// What a handler tells ``IdempotencyMiddleware`` about a keyed write it runs: the user its answer
/// concerns, when the path does not name it as `{userId}` (for example `POST /v1/users`). The
/// stored answer is deleted when that user is erased.
public final class IdempotencyNote: Sendable {
    private let subject = Mutex<String?>(nil)

    public init() {}

    /// Records that the answer concerns `userId`.
    public func concerns(userId: String) {
        subject.withLock { $0 = userId }
    }

    var subjectUserId: String? { subject.withLock { $0 } }
}
