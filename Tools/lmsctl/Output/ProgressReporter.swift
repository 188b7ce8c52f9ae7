import ServiceHTTP
import Synchronization

/// Shows a ``ProgressBar`` on standard error while an upload runs: redrawn in place ten times a
/// second on a terminal, or as a plain line every `plainInterval` otherwise (CI logs, pipes).
/// After the body is sent it shows how long the server has been working on it.
final class ProgressReporter: Sendable {
    private struct State {
        var bytesDone = 0
        var rows = CSVRecordCounter()
        var uploaded = false
        var finished = false
        var lastPlain: ContinuousClock.Instant?
    }

    private let label: String
    private let bytesTotal: Int
    /// Data rows in the body (records minus the header row).
    private let rowsTotal: Int
    private let terminal = Console.stderrIsTerminal
    private let plainInterval = Duration.seconds(2)
    private let start = ContinuousClock.now
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(label: String, bytesTotal: Int, rowsTotal: Int) {
        self.label = label
        self.bytesTotal = bytesTotal
        self.rowsTotal = rowsTotal
    }

    func begin() {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                self?.tick()
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Records bytes handed to the connection.
    func sent(_ chunk: some Sequence<UInt8>, count: Int) {
        state.withLock { state in
            state.bytesDone += count
            state.rows.feed(chunk)
        }
    }

    /// The whole body was handed over; from now on the server is working.
    func uploaded() {
        state.withLock { state in
            state.uploaded = true
            state.rows.finish()
        }
    }

    /// Stops the display, leaving a final summary line.
    func end() {
        ticker.withLock { $0?.cancel() }
        let line: String? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return summary(state, final: true)
        }
        guard let line else { return }
        if terminal { Console.errRaw("\r\u{1B}[2K") }
        Console.err(line)
    }

    private func tick() {
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            guard !state.finished else { return nil }
            if terminal { return summary(state, final: false) }
            if let last = state.lastPlain, now - last < plainInterval { return nil }
            state.lastPlain = now
            return summary(state, final: false)
        }
        guard let line else { return }
        if terminal {
            Console.errRaw("\r\u{1B}[2K" + line)
        } else {
            Console.err(line)
        }
    }

    private func summary(_ state: State, final: Bool) -> String {
        let elapsed = Self.seconds(ContinuousClock.now - start)
        if state.uploaded {
            let verb = final ? "done" : "waiting for the server"
            return
                "\(label): sent \(ProgressBar.bytes(bytesTotal)), \(ProgressBar.grouped(rowsTotal)) rows; \(verb) after \(ProgressBar.duration(elapsed))"
        }
        let bar = ProgressBar(
            label: label,
            bytesDone: state.bytesDone,
            bytesTotal: bytesTotal,
            rowsDone: min(rowsTotal, max(0, state.rows.records - 1)),
            rowsTotal: rowsTotal,
            elapsed: elapsed
        )
        return terminal ? bar.terminalLine() : bar.plainLine()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
