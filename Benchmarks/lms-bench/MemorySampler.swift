import Foundation
import Synchronization

/// RSS of each service process (`VmRSS` in /proc/<pid>/status), sampled every 200 ms: the first
/// sample is the idle figure, the maximum the peak.
final class MemorySampler: Sendable {
    let processes: StackProcesses
    private let state = Mutex<(idle: [String: Int], peak: [String: Int])>((idle: [:], peak: [:]))

    init(processes: StackProcesses) {
        self.processes = processes
    }

    /// Kilobytes per service name, now.
    func sample() -> [String: Int] {
        var result: [String: Int] = [:]
        for (name, pids) in processes.byRole() where StackProcesses.services.contains(name) {
            for pid in pids {
                guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                    let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
                else { continue }
                result[name, default: 0] += kilobytes
            }
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
