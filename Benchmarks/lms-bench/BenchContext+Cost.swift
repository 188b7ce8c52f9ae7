import Foundation

/// Cost per unit of work: CPU of the machine and of each process of the stack, WAL bytes,
/// statements and commits, between two snapshots around a figure's measured window.
extension BenchContext {
    /// Installs `pg_stat_statements` where the database allows it (the local stack preloads the
    /// library; creating the extension needs a superuser); without it statements show as `-`.
    func prepareCostCounters() async {
        _ = try? await psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    }

    func costSnapshot() async -> CostSnapshot {
        let machine = StackProcesses.machineTicks()
        let ticks = processes.ticks()
        let counters =
            (try? await psql("SELECT (SELECT wal_bytes FROM pg_stat_wal)::bigint, (SELECT sum(xact_commit) FROM pg_stat_database)::bigint"))?
            .split(separator: "|").map { Int($0) } ?? []
        let statements = (try? await psql("SELECT sum(calls)::bigint FROM pg_stat_statements")).flatMap { Int($0) }
        return CostSnapshot(
            machineTicks: machine, ticks: ticks, walBytes: counters.first ?? nil, statements: statements,
            commits: counters.count > 1 ? counters[1] : nil)
    }

    /// Records the cost of `units` units of `figure`'s work done since `start`.
    func recordCost(since start: CostSnapshot, _ figure: String, units: Int, unit: String) async {
        let cost = await costSnapshot().cost(since: start, figure: figure, units: units, unit: unit)
        costs.withLock { $0.append(cost) }
    }
}
