import ServicePlatform
import Testing

@Suite("HTTP edge settings")
struct HTTPEdgeSettingsTests {
    @Test("Defaults, environment overrides and refused values")
    func parsing() {
        var problems: [String] = []
        let defaults = HTTPEdgeSettings.fromEnvironment([:], problems: &problems)
        #expect(problems.isEmpty)
        #expect(defaults.idleTimeout == .seconds(75))
        #expect(defaults.tenantWritesPerSecond == 500 && defaults.tenantWriteBurst == 1000)
        #expect(defaults.subjectWritesPerSecond == 50 && defaults.subjectWriteBurst == 100)
        #expect(defaults.idempotencyRetention == .seconds(86_400))

        let configured = HTTPEdgeSettings.fromEnvironment(
            [
                "LMS_HTTP_IDLE_TIMEOUT_SECONDS": "30", "LMS_RATE_LIMIT_TENANT_PER_SECOND": "0", "LMS_RATE_LIMIT_SUBJECT_BURST": "7",
                "LMS_IDEMPOTENCY_RETENTION_HOURS": "48",
            ],
            problems: &problems
        )
        #expect(problems.isEmpty)
        #expect(configured.idleTimeout == .seconds(30))
        #expect(configured.tenantWritesPerSecond == 0)
        #expect(configured.subjectWriteBurst == 7)
        #expect(configured.idempotencyRetention == .seconds(48 * 3600))

        _ = HTTPEdgeSettings.fromEnvironment(["LMS_HTTP_IDLE_TIMEOUT_SECONDS": "soon", "LMS_RATE_LIMIT_TENANT_BURST": "0"], problems: &problems)
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("LMS_HTTP_IDLE_TIMEOUT_SECONDS") == true)
    }
}
