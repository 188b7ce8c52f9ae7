/// Formats the progress of an upload: a bar line for terminals and a plain line for logs.
///
/// Pure: everything it shows comes from the values passed in, so it is unit-tested as is.
struct ProgressBar: Sendable, Equatable {
    /// What is being done, e.g. `uploading users.csv`.
    var label: String
    var bytesDone: Int
    var bytesTotal: Int
    /// Data rows sent so far and in total (nil when not counting rows).
    var rowsDone: Int?
    var rowsTotal: Int?
    /// Seconds since the start.
    var elapsed: Double
    /// Characters of the bar itself (between the brackets).
    var barWidth: Int = 24

    var fraction: Double {
        guard bytesTotal > 0 else { return 1 }
        return min(1, max(0, Double(bytesDone) / Double(bytesTotal)))
    }

    /// Bytes per second so far (0 before any time has passed).
    var rate: Double {
        elapsed > 0 ? Double(bytesDone) / elapsed : 0
    }

    /// Seconds left at the rate so far; nil when it cannot be estimated yet.
    var eta: Double? {
        guard rate > 0, bytesDone > 0 else { return nil }
        return Double(max(0, bytesTotal - bytesDone)) / rate
    }

    /// `label [#########...............]  38%  1.2 MiB/3.1 MiB  4,000/10,000 rows  512.0 KiB/s  ETA 0:04`
    func terminalLine() -> String {
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
        var parts = [String(repeating: " ", count: max(0, 4 - percent.count)) + percent, "\(Self.bytes(bytesDone))/\(Self.bytes(bytesTotal))"]
        if let rowsDone, let rowsTotal { parts.append("\(Self.grouped(rowsDone))/\(Self.grouped(rowsTotal)) rows") }
        parts += ["\(Self.bytes(Int(rate.rounded())))/s", "ETA \(etaText)"]
        return "\(label) [\(bar)] " + parts.joined(separator: "  ")
    }

    /// `label: 38% (1.2 MiB of 3.1 MiB, 4,000 of 10,000 rows), 512.0 KiB/s, ETA 0:04`
    func plainLine() -> String {
        var parts = ["\(Self.bytes(bytesDone)) of \(Self.bytes(bytesTotal))"]
        if let rowsDone, let rowsTotal { parts.append("\(Self.grouped(rowsDone)) of \(Self.grouped(rowsTotal)) rows") }
        return "\(label): \(percent) (\(parts.joined(separator: ", "))), \(Self.bytes(Int(rate.rounded())))/s, ETA \(etaText)"
    }

    private var percent: String { "\(Int((fraction * 100).rounded(.down)))%" }

    private var etaText: String { eta.map(Self.duration) ?? "--:--" }

    /// `512 B`, `1.5 KiB`, `12.0 MiB`, `1.1 GiB`.
    static func bytes(_ count: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard count >= 1024 else { return "\(count) B" }
        var value = Double(count)
        var unit = -1
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = (value * 10).rounded() / 10
        return "\(Int(tenths)).\(Int((tenths * 10).rounded()) % 10) \(units[unit])"
    }

    /// `12,345`.
    static func grouped(_ number: Int) -> String {
        let digits = String(abs(number))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }

    /// `0:07`, `12:30`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let hours = total / 3600
        let minutes = (total % 3600) / 60
        let secs = total % 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}
