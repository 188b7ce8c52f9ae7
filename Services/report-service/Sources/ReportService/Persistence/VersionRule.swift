/// When a snapshot replaces the stored row of its aggregate.
package enum VersionRule: Sendable {
    /// Only above the stored version: redelivery, replays and out-of-order arrival change nothing.
    case newer
    /// Also at the stored version: an owner's re-announcement (a rebuild) repairs a row that was
    /// written wrongly without its version changing.
    case newerOrSame

    /// The SQL operator between the stored and the incoming version.
    var comparison: String {
        switch self {
        case .newer: "<"
        case .newerOrSame: "<="
        }
    }
}
