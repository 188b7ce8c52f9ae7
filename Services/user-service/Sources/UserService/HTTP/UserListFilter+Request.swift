import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

extension UserListFilter {
    /// `?department=&location=&jobRole=&status=` (status: one or more of `active`, `deactivated`,
    /// `erased`, comma-separated). Empty parameters are ignored; a bad status is a 400 problem.
    package init(request: Request) throws(Problem) {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? {
            query[name[...]].flatMap { $0.isEmpty ? nil : String($0) }
        }
        self.init(department: text("department"), location: text("location"), jobRole: text("jobRole"))
        if let raw = text("status") {
            var statuses: [UserStatus] = []
            for part in raw.split(separator: ",") {
                guard let status = UserStatus(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                    throw Problem.badRequest(
                        "Invalid filter.", errors: [FieldError(field: "status", message: "must be active, deactivated or erased (comma-separated)")])
                }
                if !statuses.contains(status) { statuses.append(status) }
            }
            if !statuses.isEmpty { self.statuses = statuses }
        }
    }
}
