import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Learns exclusions from `lms.enrollments.v1`: a rule-sourced enrollment withdrawn by someone
/// other than a rule, the system or the learner itself is a manual withdrawal, which rules respect
/// afterwards. A learner's own withdrawal (of a non-mandatory enrollment) is never an exclusion.
package struct EnrollmentEventHandler: EventHandler {
    package let repositories: RulesRepositories
    package let clock: any ServiceClock
    package let logger: Logger

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(EnrollmentSnapshot.self)
        let exclusions = batch.payloads.compactMap(Self.exclusion(from:))
        try await repositories.matches.addExclusions(exclusions, now: clock.now(), on: connection)
        if !exclusions.isEmpty { logger.info("Exclusions recorded", metadata: ["count": "\(exclusions.count)"]) }
        return batch.rejections
    }

    /// The exclusion a snapshot records, if it is a manual withdrawal of a rule enrollment.
    package static func exclusion(from snapshot: EnrollmentSnapshot) -> Exclusion? {
        guard snapshot.source == .rule, snapshot.status == .withdrawn, let transition = snapshot.transition,
            transition.to == .withdrawn, !transition.actor.hasPrefix("rule:"), transition.actor != "system",
            transition.actor != snapshot.userId
        else { return nil }
        return Exclusion(
            key: ExclusionKey(tenantId: snapshot.tenantId, userId: snapshot.userId, courseId: snapshot.courseId),
            ruleId: snapshot.sourceRef.flatMap(ruleId(fromSourceRef:)),
            enrollmentId: snapshot.enrollmentId,
            actor: transition.actor,
            reason: transition.reason
        )
    }

    /// The rule id of a rule enrollment's `sourceRef` (`<ruleId>@v<version>`, or a bare id).
    package static func ruleId(fromSourceRef sourceRef: String) -> UUID? {
        UUID(text: sourceRef.prefix(36))
    }
}
