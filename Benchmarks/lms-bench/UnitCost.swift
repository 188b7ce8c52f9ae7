import Foundation

/// The cost of one unit of a figure's work (an enrollment, a row, a request, a statement): machine
/// CPU and CPU by process in µs, and PostgreSQL's WAL bytes, statements and commits. CPU per unit is
/// the figure to optimise: far steadier than wall time on a shared machine.
struct UnitCost: Sendable {
    var figure: String
    var unit: String
    var units: Int
    var machineMicroseconds: Double
    var processMicroseconds: [String: Double]
    var walBytes: Double?
    var statements: Double?
    var commits: Double?

    static let roles = StackProcesses.services + ["postgres", StackProcesses.broker, "lms-bench"]

    /// One table: a line per figure, a column per process; `other` is the machine's rest.
    static func render(_ costs: [UnitCost]) -> String {
        let header =
            ["cost per unit", "units", "machine µs"] + roles.map { "\($0) µs" } + ["other µs", "WAL bytes", "statements", "commits"]
        let lines = costs.map { cost -> [String] in
            let listed = roles.reduce(0.0) { $0 + (cost.processMicroseconds[$1] ?? 0) }
            var cells: [String] = ["\(cost.figure) (per \(cost.unit))", String(cost.units), format(cost.machineMicroseconds)]
            cells += roles.map { cost.processMicroseconds[$0].map(format) ?? "-" }
            cells.append(format(max(0, cost.machineMicroseconds - listed)))
            cells += [cost.walBytes, cost.statements, cost.commits].map { $0.map(format) ?? "-" }
            return cells
        }
        var widths = header.map(\.count)
        for line in lines { for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func join(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset] + 2, withPad: " ", startingAt: 0) }.joined()
        }
        return ([join(header), join(widths.map { String(repeating: "-", count: $0) })] + lines.map(join)).joined(separator: "\n")
    }

    /// Small per-unit counts (statements, commits of batched work) keep three decimals.
    static func format(_ value: Double) -> String { value < 10 ? String(format: "%.3f", value) : FigureRow.format(value) }
}
