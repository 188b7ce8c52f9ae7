import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Applies `lms.users.v1`: an erased user's records and statements lose their link to the person
/// (the user id becomes a random pseudonym), while course aggregates keep counting them. Other
/// user events need nothing from this service.
package struct UserEventHandler: EventHandler {
    let progress: ProgressRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = UserEvents(events)
        let erased = batch.lifecycle.filter { $0.status == .erased }.map { UserKey(tenantId: $0.event.tenantId, userId: $0.event.userId) }
        try await progress.erase(Array(Set(erased)), on: connection)
        return batch.rejections
    }
}
