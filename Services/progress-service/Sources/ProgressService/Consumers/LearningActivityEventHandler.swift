import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Applies `platform.learning-activity.v1`: every batch is recorded in one pass.
package struct LearningActivityEventHandler: EventHandler {
    let recorder: ActivityRecorder
    let clock: any ServiceClock

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var activities: [LearningActivity] = []
        for consumed in events {
            do throws(EventRejection) {
                activities.append(try consumed.payload(LearningActivity.self))
            } catch {
                rejections.append(error)
            }
        }
        _ = try await recorder.record(activities, now: clock.now(), traceparent: events.last?.event.traceparent, on: connection)
        return rejections
    }
}
