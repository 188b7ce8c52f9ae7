import Contracts
import Foundation

/// One tenant's report rebuild, as `POST /v1/reports:rebuild` and `GET /v1/reports/rebuilds/{rebuildId}` show it.
///
/// A rebuild asks the owners of users, courses, enrollments and progress to re-announce the tenant's
/// current state (`lms.resync.requested`); their pages replace the tenant's rows in place, so the
/// reports stay readable throughout; once every source has delivered all its pages, the rows no owner
/// confirmed are removed and every report of the tenant is re-published.
package struct ReportRebuild: Encodable, Sendable, Equatable {
    package enum Status: String, Encodable, Sendable {
        /// Waiting for the owners' pages.
        case running
        case completed
        /// Superseded by a newer rebuild after it had waited longer than ``ReportRebuild/abandonAfter``.
        case abandoned
    }

    /// What one source has delivered so far.
    package struct SourceProgress: Encodable, Sendable, Equatable {
        package var source: ResyncSource
        package var pagesApplied: Int
        package var itemsApplied: Int
        /// The page count the owner announced on completion; `nil` until then.
        package var pages: Int?
        package var completed: Bool
    }

    /// How long a running rebuild blocks a new one (an owner that never answers must not block forever).
    package static let abandonAfter: TimeInterval = 3600

    /// The database's text form: lowercase, as every event and service sends UUIDs.
    package var rebuildId: String
    package var tenantId: String
    package var status: Status
    package var requestedBy: String
    package var requestedAt: Date
    package var finishedAt: Date?
    package var sources: [SourceProgress]
}
