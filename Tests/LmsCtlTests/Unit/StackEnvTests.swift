import Foundation
import ServiceHTTP
import Testing

@testable import LmsCtl

@Suite("stack.env and settings")
struct StackEnvTests {
    @Test func parsesWhatScriptsRunWritesAndShellStyleVariants() throws {
        let env = try StackEnv.parse(
            """
            # written by scripts/run
            LMS_KAFKA_BROKERS=127.0.0.1:39001,127.0.0.1:39002
            LMS_DATABASE_URL=postgres://postgres@127.0.0.1:5433/lms

            export LMS_JWT_SECRET="a \\"quoted\\" secret"
            LMS_USER_SERVICE_URL='http://127.0.0.1:9081'
            LMS_EMPTY=
            """)
        #expect(env["LMS_KAFKA_BROKERS"] == "127.0.0.1:39001,127.0.0.1:39002")
        #expect(env["LMS_DATABASE_URL"] == "postgres://postgres@127.0.0.1:5433/lms")
        #expect(env["LMS_JWT_SECRET"] == "a \"quoted\" secret")
        #expect(env["LMS_USER_SERVICE_URL"] == "http://127.0.0.1:9081")
        #expect(env["LMS_EMPTY"] == "")
        #expect(env.values.count == 5)
    }

    @Test func reportsTheLineOfAMalformedEntry() {
        #expect(throws: CLIError.self) { try StackEnv.parse("A=1\nnot a variable\n", path: "x.env") }
        do {
            _ = try StackEnv.parse("A=1\nnot a variable\n", path: "x.env")
        } catch {
            #expect(error.description.contains("x.env:2"))
        }
    }

    @Test func findsTheNearestStackEnvUpwards() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lmsctl-find-\(UUID().uuidString)")
        let nested = root.appendingPathComponent("a/b/c")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".lms"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(StackEnv.find(from: nested.path) != root.appendingPathComponent(".lms/stack.env").standardizedFileURL.path)
        try Data("LMS_JWT_SECRET=x\n".utf8).write(to: root.appendingPathComponent(".lms/stack.env"))
        #expect(StackEnv.find(from: nested.path) == root.appendingPathComponent(".lms/stack.env").standardizedFileURL.path)
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
        let file = StackEnv(values: [
            "LMS_USER_SERVICE_URL": "http://file:1/", "LMS_ENROLLMENT_SERVICE_URL": "http://file:2", "LMS_JWT_SECRET": "file-secret",
            "LMS_KAFKA_BROKERS": "file:9092",
        ])
        var settings = Settings(
            file: file, environment: ["LMS_ENROLLMENT_SERVICE_URL": "http://env:2", "LMS_KAFKA_BROKERS": "env:9092"], urlOverride: nil,
            tokenOverride: nil, tenant: "demo")
        #expect(settings.baseURL(.userService) == "http://file:1")
        #expect(settings.baseURL(.enrollmentService) == "http://env:2")
        #expect(settings.baseURL(.reportService) == "http://127.0.0.1:8085")
        #expect(settings.kafkaBrokers == "env:9092")
        settings.urlOverride = "http://flag:3"
        #expect(settings.baseURL(.enrollmentService) == "http://flag:3")
    }

    @Test func tokenPrecedenceAndMinting() async throws {
        let secret = "a-development-secret-that-is-long-enough"
        var settings = Settings(
            file: StackEnv(values: ["LMS_JWT_SECRET": secret]), environment: [:], urlOverride: nil, tokenOverride: nil, tenant: "acme")
        let minted = try settings.bearerToken()
        let identity = try await JWTVerification(hs256Secret: secret).verify(minted)
        #expect(identity.tenantId == "acme" && identity.roles == [.admin])
        settings.environment["LMS_TOKEN"] = "from-env"
        #expect(try settings.bearerToken() == "from-env")
        settings.tokenOverride = "from-flag"
        #expect(try settings.bearerToken() == "from-flag")
        let none = Settings(file: StackEnv(), environment: [:], urlOverride: nil, tokenOverride: nil, tenant: "demo")
        #expect(throws: CLIError.self) { try none.bearerToken() }
    }

    @Test func serviceURLVariables() {
        #expect(
            ServiceName.allCases.map(\.urlVariable) == [
                "LMS_USER_SERVICE_URL", "LMS_ENROLLMENT_SERVICE_URL", "LMS_RULES_WORKER_URL", "LMS_PROGRESS_SERVICE_URL", "LMS_REPORT_SERVICE_URL",
            ])
    }
}
