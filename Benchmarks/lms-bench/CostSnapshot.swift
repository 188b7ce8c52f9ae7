/// What the stack has spent up to one moment: CPU ticks of the machine and of each process role,
/// PostgreSQL's WAL bytes, statements (`pg_stat_statements`, when installed) and commits.
struct CostSnapshot: Sendable {
    var machineTicks: Int
    var ticks: [String: Int]
    var walBytes: Int?
    var statements: Int?
    var commits: Int?

    /// The cost of `units` units of work between `start` and `self`, for the cost table.
    func cost(since start: CostSnapshot, figure: String, units: Int, unit: String) -> UnitCost {
        let perUnit = { (ticks: Int) in Double(ticks) * 1_000_000 / Double(StackProcesses.ticksPerSecond) / Double(max(units, 1)) }
        var processes: [String: Double] = [:]
        for (role, value) in ticks { processes[role] = perUnit(value - (start.ticks[role] ?? 0)) }
        func delta(_ path: KeyPath<CostSnapshot, Int?>) -> Double? {
            guard let end = self[keyPath: path], let begin = start[keyPath: path] else { return nil }
            return Double(end - begin) / Double(max(units, 1))
        }
        return UnitCost(
            figure: figure, unit: unit, units: units, machineMicroseconds: perUnit(machineTicks - start.machineTicks),
            processMicroseconds: processes, walBytes: delta(\.walBytes), statements: delta(\.statements), commits: delta(\.commits))
    }
}
