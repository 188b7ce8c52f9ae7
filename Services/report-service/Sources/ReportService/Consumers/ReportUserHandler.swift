import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.users.v1` to the user dimension: profile snapshots move a learner's compliance
/// counts to its new department, location and job role; `erased` clears them.
package struct ReportUserHandler: EventHandler {
    let writer: ReadModelWriter

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var snapshots: [UserSnapshot] = []
        var lifecycle: [(event: UserLifecycleEvent, status: UserStatus)] = []
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
        try await writer.applyUsers(snapshots: snapshots, lifecycle: lifecycle, on: connection)
        return rejections
    }
}
