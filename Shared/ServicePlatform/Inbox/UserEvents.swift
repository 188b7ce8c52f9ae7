import Contracts

/// A batch of `lms.users.v1` events, decoded once for every service that consumes the topic:
/// every change in arrival order with its event (for the `traceparent`), the profile snapshots,
/// the lifecycle changes with the status they lead to, and the events refused (undecodable, or
/// not a user event).
public struct UserEvents: Sendable {
    /// One event of `lms.users.v1` about a user.
    public enum Change: Sendable {
        case snapshot(UserSnapshot)
        case lifecycle(UserStatus, UserLifecycleEvent)

        public var tenantId: String {
            switch self {
            case .snapshot(let snapshot): snapshot.tenantId
            case .lifecycle(_, let event): event.tenantId
            }
        }

        public var userId: String {
            switch self {
            case .snapshot(let snapshot): snapshot.userId
            case .lifecycle(_, let event): event.userId
            }
        }

        public var version: Int64 {
            switch self {
            case .snapshot(let snapshot): snapshot.version
            case .lifecycle(_, let event): event.version
            }
        }
    }

    /// Every change, in the order the events arrived.
    public var changes: [Decoded<Change>]
    public var rejections: [EventRejection]

    public init(_ events: some Sequence<ConsumedEvent>) {
        let batch = events.decode { consumed throws(EventRejection) -> Change in
            switch consumed.event.type {
            case .lmsUserUpserted: .snapshot(try consumed.payload(UserSnapshot.self))
            case .lmsUserDeactivated: .lifecycle(.deactivated, try consumed.payload(UserLifecycleEvent.self))
            case .lmsUserReactivated: .lifecycle(.active, try consumed.payload(UserLifecycleEvent.self))
            case .lmsUserErased: .lifecycle(.erased, try consumed.payload(UserLifecycleEvent.self))
            default: throw consumed.unexpectedType("a user event")
            }
        }
        changes = batch.items
        rejections = batch.rejections
    }

    /// The profile snapshots, in arrival order.
    public var snapshots: [UserSnapshot] {
        changes.compactMap { item in
            guard case .snapshot(let snapshot) = item.payload else { return nil }
            return snapshot
        }
    }

    /// The lifecycle changes with the status each leads to, in arrival order.
    public var lifecycle: [(event: UserLifecycleEvent, status: UserStatus)] {
        changes.compactMap { item in
            guard case .lifecycle(let status, let event) = item.payload else { return nil }
            return (event, status)
        }
    }
}
