import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.progress.v1` to the progress columns of the enrollment facts.
package struct ProgressEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var snapshots: [ProgressSnapshot] = []
        for consumed in events {
            do throws(EventRejection) {
                snapshots.append(try consumed.payload(ProgressSnapshot.self))
            } catch {
                rejections.append(error)
            }
        }
        try await readModel.applyProgress(snapshots, on: connection)
        return rejections
    }
}
