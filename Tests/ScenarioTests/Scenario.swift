import Contracts
import Foundation
import Synchronization
import TestSupport
import Testing

/// Helpers the scenarios share: a tenant's admin talking to the stack, and the events other
/// platform services publish.
struct Scenario: Sendable {
    let stack: LocalStack
    let tenant: String

    var admin: String { stack.admin(tenant) }

    /// Sends a request as the tenant's admin (or `token`) and fails the test unless the status is one of `expecting`.
    @discardableResult
    func call(
        _ service: LocalStack.Service, _ method: String, _ path: String, body: String? = nil, token: String? = nil,
        contentType: String = "application/json", expecting: Set<Int> = [200, 201]
    ) async throws -> HTTPProbe.Answer {
        let answer = try await stack.http(service).send(method, path, token: token ?? admin, body: body, contentType: contentType)
        #expect(expecting.contains(answer.status), "\(method) \(path) → \(answer.status): \(answer.text.prefix(500))")
        return answer
    }

    /// Polls a GET until `condition` holds on its JSON (fails the test when it never does).
    @discardableResult
    func waitFor(
        _ service: LocalStack.Service, _ path: String, token: String? = nil, timeout: Duration = .seconds(90),
        _ what: String, _ condition: @escaping @Sendable (JSONValue) -> Bool
    ) async throws -> JSONValue {
        let probe = stack.http(service)
        let bearer = token ?? admin
        let last = Mutex(JSONValue.null)
        let held = try await eventually(timeout: timeout) {
            let answer = try await probe.send("GET", path, token: bearer)
            last.withLock { $0 = answer.json }
            return answer.status == 200 && condition(answer.json)
        }
        let answer = last.withLock { $0 }
        #expect(held, "\(what): GET \(path) last answered \(String(describing: answer).prefix(400))")
        return answer
    }

    var events: PlatformEvents { PlatformEvents(tenant: tenant) }
}
