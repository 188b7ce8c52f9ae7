import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.users.v1` to the user dimension: profile snapshots move a learner's compliance
/// counts to its new department, location and job role; `erased` clears them.
package struct UserEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = UserEvents(events)
        try await readModel.applyUsers(snapshots: batch.snapshots, lifecycle: batch.lifecycle, on: connection)
        return batch.rejections
    }
}
