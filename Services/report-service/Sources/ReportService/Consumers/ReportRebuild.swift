import Logging
import PostgresNIO
import ServicePlatform

/// Rebuilds the read model from the retained history of the input topics: in one transaction it
/// empties the read model and the inbox and bumps the generation; ``ConsumerGenerations`` then
/// starts consumers in new groups that read every topic from the earliest retained offset, and
/// the publisher re-publishes every report as the facts come back.
///
/// Because every input event is a full snapshot applied only above its stored version, stragglers
/// of the old generation that land after the truncation are harmless: the replay converges.
package enum ReportRebuild {
    /// Starts a rebuild; returns the new generation.
    @discardableResult
    package static func start(on database: ServiceDatabase, logger: Logger) async throws -> Int {
        try await database.transaction { connection in
            try await connection.query("LOCK TABLE report_state IN EXCLUSIVE MODE", logger: logger)
            try await connection.query(
                "TRUNCATE enrollment_facts, report_users, report_courses, dirty_reports, inbox", logger: logger)
            let rows = try await connection.query(
                "UPDATE report_state SET generation = generation + 1, full_publish_at = NULL RETURNING generation", logger: logger)
            for try await generation in rows.decode(Int.self) {
                logger.notice("Read model rebuild started", metadata: ["generation": "\(generation)"])
                return generation
            }
            return 0
        }
    }

    /// The current generation.
    package static func generation(of database: ServiceDatabase) async throws -> Int {
        let rows = try await database.client.query("SELECT generation FROM report_state", logger: database.logger)
        for try await generation in rows.decode(Int.self) { return generation }
        return 1
    }
}
