import Contracts
import Hummingbird

/// `GET /v1/reports/compliance`: the compliance rows, each as the report topic carries it.
struct ComplianceList: ResponseEncodable, Sendable {
    var items: [ComplianceReport]
}
