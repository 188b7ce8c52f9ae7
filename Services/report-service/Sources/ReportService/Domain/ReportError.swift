import Foundation

/// What the report use cases refuse; `HTTP/ReportError+Problem.swift` maps each to its answer.
package enum ReportError: Error, Hashable, Sendable {
    /// Another rebuild of the tenant is running and has not yet waited ``ReportRebuild/abandonAfter``.
    case rebuildRunning(UUID)
    /// The rebuild just started could not be read back.
    case rebuildNotFound(UUID)
}
