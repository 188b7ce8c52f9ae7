import Contracts
import Foundation

/// Realistic tenant data: users with departments, locations, job roles and hire dates.
enum DataGenerator {
    static let departments = ["Sales", "Engineering", "Operations", "Finance", "Support", "Marketing"]
    static let locations = ["Berlin", "Paris", "London", "Madrid", "Warsaw", "Austin", "Toronto"]
    static let roles = ["Associate", "Specialist", "Manager", "Lead", "Director"]

    /// Half the users (even index) are in Sales: the backfill rule matches exactly 50 %.
    static func department(_ index: Int) -> String {
        index % 2 == 0 ? "Sales" : departments[1 + (index / 2) % (departments.count - 1)]
    }

    /// A user-service import CSV (`POST /v1/users:import`) for `range` of users named `prefix-<i>`.
    static func usersCSV(prefix: String, tenant: String, range: Range<Int>) -> String {
        var csv = "userId,email,givenName,familyName,jobRole,department,location,hireDate\n"
        csv.reserveCapacity(range.count * 110)
        let today = Int64(Date().timeIntervalSince1970 / 86_400)
        for index in range {
            // Hire dates spread over the last ten years, none in the last 60 days (the new-hire rule's window).
            let hired = CalendarDate(daysSinceEpoch: today - 60 - Int64((index &* 7_919) % 3_600))
            csv += "\(prefix)-\(index),\(prefix)-\(index)@\(tenant).example,Given\(index),Family\(index % 997),"
            csv += "\(roles[index % roles.count]),\(department(index)),\(locations[index % locations.count]),\(hired)\n"
        }
        return csv
    }

    static func newHire(tenant: String, userId: String) -> PlatformUserCreated {
        PlatformUserCreated(
            tenantId: tenant, userId: userId, email: "\(userId)@\(tenant).example", givenName: "New", familyName: "Hire",
            jobRole: "Associate", department: "Sales", location: "Berlin",
            hireDate: CalendarDate(Date().addingTimeInterval(-86_400)))
    }
}
