import Foundation

/// Baselines and read-only progress checks through `psql` / `pgbench` on LMS_DATABASE_URL.
extension BenchContext {
    var databaseURL: String {
        get throws {
            guard let url = settings.databaseURL else { throw BenchError("LMS_DATABASE_URL is not set (flag --database-url or .lms/stack.env)") }
            return url
        }
    }

    static let postgresBin = "/usr/lib/postgresql/15/bin"

    func psql(_ sql: String, input: String? = nil) async throws -> String {
        guard let psql = Shell.find("psql", candidates: ["\(Self.postgresBin)/psql"]) else { throw BenchError("psql not found") }
        return try await Shell.run(psql, ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", try databaseURL, "-c", sql], input: input)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func count(_ sql: String) async throws -> Int {
        let text = try await psql(sql)
        return Int(text.split(separator: "\n").last ?? "") ?? 0
    }

    /// Rows/s of COPY of `rows` enrollment-shaped rows into a temp table (one psql session).
    func copyBaseline(rows: Int) async throws -> Double {
        var csv = ""
        csv.reserveCapacity(rows * 120)
        for index in 0..<rows {
            csv += "\(UUID().uuidString.lowercased()),\(tenant),baseline,user-\(index),active,rule,2026-01-01T00:00:00Z\n"
        }
        guard let psql = Shell.find("psql", candidates: ["\(Self.postgresBin)/psql"]) else { throw BenchError("psql not found") }
        let start = ContinuousClock.now
        _ = try await Shell.run(
            psql,
            [
                "-X", "-q", "-v", "ON_ERROR_STOP=1", try databaseURL,
                "-c",
                "CREATE TEMP TABLE bench_copy (enrollment_id uuid, tenant_id text, course_id text, user_id text, status text, source text, enrolled_at timestamptz)",
                "-c", "COPY bench_copy FROM STDIN (FORMAT csv)",
            ], input: csv)
        return Double(rows) / (ContinuousClock.now - start).seconds
    }

    /// Transactions/s of pgbench running a single-row INSERT transaction at `clients` concurrency.
    func pgbenchBaseline(clients: Int, seconds: Int) async throws -> (tps: Double, p50: Double?) {
        guard let pgbench = Shell.find("pgbench", candidates: ["\(Self.postgresBin)/pgbench"]) else {
            throw BenchError("pgbench not found (apt-get install postgresql-contrib)")
        }
        let table = "lms_bench_self_\(tenant.replacingOccurrences(of: "-", with: "_"))"
        _ = try await psql(
            "CREATE TABLE public.\(table) (enrollment_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id text, course_id text, user_id text, status text, enrolled_at timestamptz)"
        )
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("\(table).sql")
        try
            "INSERT INTO public.\(table) (tenant_id, course_id, user_id, status, enrolled_at) VALUES ('\(tenant)', 'self', 'u-' || :client_id || '-' || random(), 'active', now());\n"
            .write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let output: String
        do {
            output = try await Shell.run(
                pgbench, ["-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", script.path, try databaseURL])
        } catch {
            _ = try? await psql("DROP TABLE public.\(table)")
            throw error
        }
        _ = try? await psql("DROP TABLE public.\(table)")
        let tps = output.split(separator: "\n").first { $0.hasPrefix("tps = ") }
            .flatMap { Double($0.dropFirst(6).split(separator: " ").first ?? "") }
        guard let tps else { throw BenchError("pgbench printed no tps: \(output.suffix(300))") }
        let latency = output.split(separator: "\n").first { $0.hasPrefix("latency average = ") }
            .flatMap { Double($0.dropFirst(18).split(separator: " ").first ?? "") }
        return (tps, latency)
    }
}
