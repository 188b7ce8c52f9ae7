import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.progress.v1` to the progress columns of the enrollment facts.
package struct ProgressEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(ProgressSnapshot.self)
        try await readModel.applyProgress(batch.payloads, on: connection)
        return batch.rejections
    }
}
