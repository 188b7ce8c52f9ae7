import Contracts
import Foundation

/// A `report_users` row from a profile snapshot (an erased user keeps no dimensions).
struct UserRow: Encodable {
    var tenant_id: String
    var user_id: String
    var department: String?
    var location: String?
    var job_role: String?
    var status: String
    var version: Int64

    init(_ snapshot: UserSnapshot) {
        let erased = snapshot.status == .erased
        tenant_id = snapshot.tenantId
        user_id = snapshot.userId
        department = erased ? nil : snapshot.department
        location = erased ? nil : snapshot.location
        job_role = erased ? nil : snapshot.jobRole
        status = snapshot.status.rawValue
        version = snapshot.version
    }
}
