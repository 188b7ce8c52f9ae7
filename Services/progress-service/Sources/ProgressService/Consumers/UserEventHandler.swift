import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Applies `lms.users.v1`: an erased user's records and statements lose their link to the person
/// (the user id becomes a random pseudonym), while course aggregates keep counting them. Other
/// user events need nothing from this service.
package struct UserEventHandler: EventHandler {
    let progress: ProgressStore

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var erased: [UserKey] = []
        for consumed in events {
            do throws(EventRejection) {
                switch consumed.event.type {
                case .lmsUserErased:
                    let event = try consumed.payload(UserLifecycleEvent.self)
                    erased.append(UserKey(tenantId: event.tenantId, userId: event.userId))
                case .lmsUserUpserted, .lmsUserDeactivated, .lmsUserReactivated:
                    continue
                default:
                    throw EventRejection(eventId: consumed.event.id, errorClass: "unknown-type", message: "not a user event: \(consumed.event.type)")
                }
            } catch {
                rejections.append(error)
            }
        }
        try await progress.erase(Array(Set(erased)), on: connection)
        return rejections
    }
}
