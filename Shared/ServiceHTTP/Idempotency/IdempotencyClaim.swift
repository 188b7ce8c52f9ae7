/// The outcome of claiming an idempotency key.
public enum IdempotencyClaim: Sendable, Hashable {
    /// The key is now this request's: run it, then complete or release the key.
    case claimed
    /// An earlier request with the key (and the same fingerprint) has not finished yet.
    case inProgress
    /// The key was used for a different request.
    case mismatch
    /// An earlier identical request finished with this response.
    case completed(IdempotentResponse)
}
