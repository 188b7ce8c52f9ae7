import Foundation

/// Who asks for a change, when, and how it is correlated and ordered.
package struct UserChangeContext: Sendable {
    /// The event's `ce_source`, or the caller's `userId` for API calls and imports.
    package var actor: String
    package var origin: UserChangeOrigin
    /// The event id (`ce_id`) or the HTTP request id.
    package var correlationId: String?
    /// The source system's per-user version; stale when not above the applied one.
    package var sourceVersion: Int64?
    /// W3C trace context carried on to the events the change publishes.
    package var traceparent: String?
    /// When the change happens: the module's clock, read once per request or batch.
    package var time: Date

    package init(
        actor: String, origin: UserChangeOrigin, correlationId: String? = nil, sourceVersion: Int64? = nil, traceparent: String? = nil,
        time: Date
    ) {
        self.actor = actor
        self.origin = origin
        self.correlationId = correlationId
        self.sourceVersion = sourceVersion
        self.traceparent = traceparent
        self.time = time
    }
}
