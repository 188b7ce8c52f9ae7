import Foundation
import Synchronization

/// RSS of each service process (`VmRSS` in /proc/<pid>/status), found by executable name through
/// /proc/*/exe, sampled every 200 ms: the first sample is the idle figure, the maximum the peak.
/// Only executables in `binDirectory` count (other checkouts on the machine run services too).
final class MemorySampler: Sendable {
    static let services = ["user-service", "enrollment-service", "rules-worker", "progress-service", "report-service"]

    let binDirectory: String
    private let state = Mutex<(idle: [String: Int], peak: [String: Int])>((idle: [:], peak: [:]))

    /// `binDirectory` nil: the folder of this program (where `swift build` puts the services too).
    init(binDirectory: String?) {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let folder = binDirectory ?? (own as NSString).deletingLastPathComponent
        self.binDirectory = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
    }

    /// Kilobytes per service name, now.
    func sample() -> [String: Int] {
        var result: [String: Int] = [:]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return result }
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else { continue }
            let name = (exe as NSString).lastPathComponent
            guard Self.services.contains(name), (exe as NSString).deletingLastPathComponent == binDirectory,
                let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
            else { continue }
            result[name, default: 0] += kilobytes
        }
        return result
    }

    func recordIdle() {
        let now = sample()
        state.withLock {
            $0.idle = now
            $0.peak = now
        }
    }

    func record() {
        let now = sample()
        state.withLock { state in
            for (name, kilobytes) in now { state.peak[name] = max(state.peak[name] ?? 0, kilobytes) }
        }
    }

    /// Samples every 200 ms until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            record()
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    var figures: (idle: [String: Int], peak: [String: Int]) { state.withLock { $0 } }
}
