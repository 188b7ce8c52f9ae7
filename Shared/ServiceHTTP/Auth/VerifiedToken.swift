import Foundation

/// A token ``JWTVerification`` accepted: the caller it proves and when it stops being valid
/// (for credentials derived from it, such as the dashboard's cookie, which must not outlive it).
public struct VerifiedToken: Sendable, Hashable {
    public var identity: Identity
    /// The token's `exp`.
    public var expiresAt: Date

    public init(identity: Identity, expiresAt: Date) {
        self.identity = identity
        self.expiresAt = expiresAt
    }
}
