import Contracts

/// A batch of `lms.users.v1` events, decoded once for every service that consumes the topic:
/// profile snapshots, lifecycle changes with the status they lead to, and the events refused
/// (undecodable, or not a user event).
public struct UserEvents: Sendable {
    public var snapshots: [UserSnapshot] = []
    public var lifecycle: [(event: UserLifecycleEvent, status: UserStatus)] = []
    public var rejections: [EventRejection] = []

    public init(_ events: [ConsumedEvent]) {
        for consumed in events {
            do throws(EventRejection) {
                switch consumed.event.type {
                case .lmsUserUpserted: snapshots.append(try consumed.payload(UserSnapshot.self))
                case .lmsUserDeactivated: lifecycle.append((try consumed.payload(UserLifecycleEvent.self), .deactivated))
                case .lmsUserReactivated: lifecycle.append((try consumed.payload(UserLifecycleEvent.self), .active))
                case .lmsUserErased: lifecycle.append((try consumed.payload(UserLifecycleEvent.self), .erased))
                default:
                    throw EventRejection(eventId: consumed.event.id, errorClass: "unknown-type", message: "not a user event: \(consumed.event.type)")
                }
            } catch {
                rejections.append(error)
            }
        }
    }
}
