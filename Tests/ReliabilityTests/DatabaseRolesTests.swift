import Foundation
import ServicePlatform
import TestSupport
import Testing

/// Least privilege in PostgreSQL (finding L9): with `scripts/lib/service-roles.sql` (what the local
/// stack, compose and CloudNativePG apply) each service connects as its own role, migrates its own
/// schema, and can neither read another service's schema nor create schemas or tables elsewhere.
@Suite("Reliability: per-service database roles", .serialized, .timeLimit(.minutes(5)))
struct DatabaseRolesTests {
    let logger = ServiceHarness.testLogger("database-roles-tests")

    @Test func aServiceRoleTouchesOnlyItsOwnSchema() async throws {
        let admin = try ServiceHarness.testDatabaseURL()
        let database = "lms_roles_\(UUID().uuidString.prefix(8).lowercased())"
        let library = ShellScript.library.path
        try await ShellScript.run(
            #"source "$1/postgres.sh"; pg_create_database "$2" "$3"; pg_service_roles "$2" "$3"; pg_service_roles "$2" "$3""#,
            [library, String(admin.port), database]
        )
        do {
            for (role, schema) in [("user_service", "users"), ("enrollment_service", "enrollments")] {
                let url = try DatabaseURL("postgres://\(role)@\(admin.host):\(admin.port)/\(database)")
                try await ReadinessRun.database(url, schema: schema, logger: logger)
            }
            // psql as user_service: every statement is tried on its own and its error printed.
            let output = try await ShellScript.run(
                """
                for statement in "SELECT count(*) FROM users.outbox" "SELECT count(*) FROM enrollments.outbox" \
                    "CREATE SCHEMA intruder" "CREATE TABLE public.intruder (id int)" "DROP SCHEMA enrollments CASCADE"; do
                    echo "-- $statement"
                    psql -X -q -h 127.0.0.1 -p "$1" -U user_service -d "$2" -tA -c "$statement" 2>&1 || true
                done
                """,
                [String(admin.port), database]
            )
            let answers = Dictionary(
                uniqueKeysWithValues: output.components(separatedBy: "-- ").dropFirst().map { block in
                    let lines = block.split(separator: "\n", maxSplits: 1)
                    return (String(lines[0]), lines.count > 1 ? String(lines[1]) : "")
                }
            )
            #expect(answers["SELECT count(*) FROM users.outbox"]?.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "its own schema: \(output)")
            #expect(answers["SELECT count(*) FROM enrollments.outbox"]?.contains("permission denied for schema enrollments") == true, "\(output)")
            #expect(answers["CREATE SCHEMA intruder"]?.contains("permission denied for database") == true, "\(output)")
            #expect(answers["CREATE TABLE public.intruder (id int)"]?.contains("permission denied for schema public") == true, "\(output)")
            #expect(answers["DROP SCHEMA enrollments CASCADE"]?.contains("must be owner of schema enrollments") == true, "\(output)")
        } catch {
            try? await drop(database, port: admin.port)
            throw error
        }
        try await drop(database, port: admin.port)
    }

    private func drop(_ database: String, port: Int) async throws {
        try await ShellScript.run(
            #"source "$1/postgres.sh"; pg_psql "$2" -d postgres -c "DROP DATABASE IF EXISTS \"$3\" WITH (FORCE)""#,
            [ShellScript.library.path, String(port), database]
        )
    }
}
