import HTTPTypes

extension HTTPField.Name {
    // The literals below are valid header names, so the failable initializer cannot fail.

    /// `X-Request-Id`: the correlation id, accepted from the caller or generated, echoed back.
    public static let requestId = HTTPField.Name("X-Request-Id")!
    /// `Idempotency-Key` on writes.
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `Idempotent-Replayed: true` on a response replayed from the idempotency store.
    public static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
