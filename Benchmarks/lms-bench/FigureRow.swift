import Foundation

/// One line of the result table: a figure, its value, the baseline measured next to it, and the target.
struct FigureRow: Sendable {
    var figure: String
    var value: Double
    var unit: String
    var baseline: Double?
    var target: String
    /// For latencies and memory lower is better; the ratio is then baseline / value.
    var lowerIsBetter = false

    var ratio: String {
        guard let baseline, baseline > 0, value > 0 else { return "-" }
        return String(format: "%.2f", lowerIsBetter ? baseline / value : value / baseline)
    }

    static func render(_ rows: [FigureRow]) -> String {
        let header = ["figure", "value", "baseline", "ratio", "target"]
        let lines = rows.map { row in
            [row.figure, format(row.value) + " " + row.unit, row.baseline.map { format($0) + " " + row.unit } ?? "-", row.ratio, row.target]
        }
        var widths = header.map(\.count)
        for line in lines { for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func join(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset] + 2, withPad: " ", startingAt: 0) }.joined()
        }
        return ([join(header), join(widths.map { String(repeating: "-", count: $0) })] + lines.map(join)).joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }
}
