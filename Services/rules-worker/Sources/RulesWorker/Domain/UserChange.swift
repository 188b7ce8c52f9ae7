import Contracts

/// One event of `lms.users.v1` about a user.
package enum UserChange: Sendable {
    case snapshot(UserSnapshot)
    case lifecycle(UserStatus, UserLifecycleEvent)

    package var key: UserKey {
        switch self {
        case .snapshot(let snapshot): UserKey(tenantId: snapshot.tenantId, userId: snapshot.userId)
        case .lifecycle(_, let event): UserKey(tenantId: event.tenantId, userId: event.userId)
        }
    }

    /// Applies `changes` in order to the stored user; events not newer than the user's version are
    /// stale (out of order or replayed) and change nothing.
    package static func fold(_ stored: ProjectedUser?, key: UserKey, _ changes: [UserChange]) -> ProjectedUser? {
        var current = stored
        for change in changes {
            switch change {
            case .snapshot(let snapshot):
                guard snapshot.version > current?.version ?? -1 else { continue }
                current = ProjectedUser(snapshot: snapshot)
            case .lifecycle(let status, let event):
                guard event.version > current?.version ?? -1 else { continue }
                let base = current ?? ProjectedUser(tenantId: key.tenantId, userId: key.userId, version: event.version, status: status, raw: [:])
                current = base.applying(status, version: event.version)
            }
        }
        return current
    }
}
