import Foundation

/// The processes of the running stack, found through /proc: each service and the development
/// broker by executable (only those in `binDirectory`: other checkouts on the machine run services
/// too), and PostgreSQL as the postmaster listening on the stack's port plus its children.
struct StackProcesses: Sendable {
    static let services = ["user-service", "enrollment-service", "rules-worker", "progress-service", "report-service"]
    static let broker = "lms-dev-broker"

    /// A process's CPU time and parent, from `/proc/<pid>/stat`.
    struct Stat: Sendable {
        var parent: Int
        /// `utime + stime` in clock ticks.
        var ticks: Int
        /// `cutime + cstime`: children it has reaped (PostgreSQL's ended backends).
        var reapedTicks: Int
    }

    let binDirectory: String
    let postgresPort: Int

    /// `binDirectory` nil: the folder of this program (where `swift build` puts the services too).
    init(binDirectory: String?, postgresPort: Int) {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let folder = binDirectory ?? (own as NSString).deletingLastPathComponent
        self.binDirectory = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        self.postgresPort = postgresPort
    }

    /// Process ids by role: the service names, `lms-dev-broker` and `postgres` (the postmaster first).
    func byRole() -> [String: [Int]] {
        var roles: [String: [Int]] = [:]
        var postgres: [Int: Stat] = [:]
        for pid in Self.pids() {
            guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else { continue }
            let name = (exe as NSString).lastPathComponent
            if name == "postgres", let stat = Self.stat(pid) {
                postgres[pid] = stat
            } else if Self.services.contains(name) || name == Self.broker, (exe as NSString).deletingLastPathComponent == binDirectory {
                roles[name, default: []].append(pid)
            }
        }
        // The postmaster: a postgres process whose parent is not one, started with `-p <port>`.
        let postmaster = postgres.first { pid, stat in
            let arguments = Self.commandLine(pid)
            return postgres[stat.parent] == nil && zip(arguments, arguments.dropFirst()).contains { $0 == "-p" && $1 == String(postgresPort) }
        }?.key
        if let postmaster {
            roles["postgres"] = [postmaster] + postgres.filter { $0.value.parent == postmaster }.map(\.key)
        }
        return roles
    }

    /// Clock ticks by role, counting the postmaster's reaped children (backends that ended).
    func ticks() -> [String: Int] {
        var result: [String: Int] = [:]
        for (role, pids) in byRole() {
            for pid in pids {
                guard let stat = Self.stat(pid) else { continue }
                let isPostmaster = role == "postgres" && pid == pids.first
                result[role, default: 0] += stat.ticks + (isPostmaster ? stat.reapedTicks : 0)
            }
        }
        if let own = Self.stat(Int(getpid())) { result["lms-bench"] = own.ticks }
        return result
    }

    /// Busy clock ticks of the whole machine (`/proc/stat`: all but idle and iowait).
    static func machineTicks() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard fields.count >= 8 else { return 0 }
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
    }

    static let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))

    static func pids() -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int.init)
    }

    static func stat(_ pid: Int) -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return nil }
        // After the command name: field 3 (state) is index 0, so field N is index N - 3.
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 14, let parent = Int(fields[1]), let user = Int(fields[11]), let system = Int(fields[12]),
            let childUser = Int(fields[13]), let childSystem = Int(fields[14])
        else { return nil }
        return Stat(parent: parent, ticks: user + system, reapedTicks: childUser + childSystem)
    }

    static func commandLine(_ pid: Int) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
