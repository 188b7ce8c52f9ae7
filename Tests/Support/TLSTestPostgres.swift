import Foundation

/// A PostgreSQL 15 cluster of a test's own that accepts TCP clients only over TLS, with a server
/// certificate the test chose (`pg_start_tls` of `scripts/lib/postgres.sh`). Trust authentication
/// for role `postgres`, database `postgres`.
public struct TLSTestPostgres: Sendable {
    public let port: Int
    let dataDirectory: String

    /// Initialises and starts the cluster on a free port with `certificate`.
    public static func start(certificate: TestCertificates.Issued) async throws -> TLSTestPostgres {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("lms-tls-pg-\(UUID().uuidString.prefix(8))/data")
        let output = try await ShellScript.run(
            """
            source "$1/postgres.sh"
            port="$(free_port)"
            pg_start_tls "$2" "$port" "$3" "$4"
            echo "port=$port"
            """,
            [ShellScript.library.path, dataDirectory.path, certificate.certificate, certificate.key]
        )
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("port=") }), let port = Int(line.dropFirst(5)) else {
            throw ShellScript.Failed(status: 0, log: "no port in:\n\(output)")
        }
        return TLSTestPostgres(port: port, dataDirectory: dataDirectory.path)
    }

    /// Restarts the cluster on its port with another certificate.
    public func restart(certificate: TestCertificates.Issued) async throws {
        try await ShellScript.run(
            #"source "$1/postgres.sh"; pg_start_tls "$2" "$3" "$4" "$5""#,
            [ShellScript.library.path, dataDirectory, String(port), certificate.certificate, certificate.key]
        )
    }

    /// Stops the cluster and deletes its files.
    public func destroy() async throws {
        try await ShellScript.run(#"source "$1/postgres.sh"; pg_destroy "$2"; rm -rf "$(dirname "$2")""#, [ShellScript.library.path, dataDirectory])
    }

    /// `postgres://postgres@HOST:PORT/postgres` with `query` (e.g. `sslmode=verify-full&sslrootcert=...`).
    public func url(host: String = "127.0.0.1", _ query: String) -> String {
        "postgres://postgres@\(host):\(port)/postgres?\(query)"
    }
}
