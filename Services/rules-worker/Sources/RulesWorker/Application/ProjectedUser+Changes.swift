import Contracts
import ServicePlatform

extension ProjectedUser {
    /// Applies `changes` (events of `lms.users.v1` about the user `key`) in order to the stored
    /// user; events not newer than the user's version are stale (out of order or replayed) and
    /// change nothing.
    static func folding(_ stored: ProjectedUser?, key: UserKey, _ changes: [UserEvents.Change]) -> ProjectedUser? {
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
