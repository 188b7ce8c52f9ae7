import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `platform.learning-activity.v1`: every batch is recorded in one pass.
package struct LearningActivityEventHandler: EventHandler {
    let recorder: ActivityRecorder
    let clock: any ServiceClock

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(LearningActivity.self)
        _ = try await recorder.record(batch.payloads, now: clock.now(), traceparent: events.last?.event.traceparent, on: connection)
        return batch.rejections
    }
}
