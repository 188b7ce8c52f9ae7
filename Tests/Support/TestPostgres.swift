import Foundation
import ServicePlatform

/// Stops and starts the PostgreSQL cluster that `scripts/test` runs the tests against, for the
/// restart fault test. `scripts/test` exports where the cluster lives (`LMS_TEST_POSTGRES_DIR`) and
/// the shell library that manages it (`LMS_TEST_POSTGRES_LIBRARY`); the port comes from
/// `LMS_TEST_DATABASE_URL`. Every test on the cluster sees the outage, so only a suite that runs
/// alone (the process suites of `scripts/test` do) may use it.
public struct TestPostgres: Sendable {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "LMS_TEST_POSTGRES_DIR and LMS_TEST_POSTGRES_LIBRARY are not set: run the test through scripts/test"
        }
    }

    let arguments: [String]

    public init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let dataDirectory = environment["LMS_TEST_POSTGRES_DIR"], let library = environment["LMS_TEST_POSTGRES_LIBRARY"] else {
            throw NotConfigured()
        }
        arguments = [library, dataDirectory, String(try ServiceHarness.testDatabaseURL().port)]
    }

    /// Fast shutdown: open connections are closed, transactions in flight roll back.
    public func stop() async throws { try await ShellScript.run(#"source "$1"; pg_stop "$2""#, arguments) }

    /// Starts the cluster again on its port and waits until it accepts connections.
    public func start() async throws { try await ShellScript.run(#"source "$1"; pg_start "$2" "$3""#, arguments) }
}
