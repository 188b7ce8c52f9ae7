import Foundation

/// The five services, with the variable naming each one's base URL in `stack.env`.
enum ServiceName: String, CaseIterable, Sendable {
    case userService = "user-service"
    case enrollmentService = "enrollment-service"
    case rulesWorker = "rules-worker"
    case progressService = "progress-service"
    case reportService = "report-service"

    /// `LMS_USER_SERVICE_URL` and so on.
    var urlVariable: String {
        "LMS_" + rawValue.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"
    }

    var defaultPort: Int {
        switch self {
        case .userService: 8081
        case .enrollmentService: 8082
        case .rulesWorker: 8083
        case .progressService: 8084
        case .reportService: 8085
        }
    }

    var defaultURL: String { "http://127.0.0.1:\(defaultPort)" }
}
