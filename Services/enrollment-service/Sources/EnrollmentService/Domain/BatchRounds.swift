/// Splits a batch into rounds in which each key appears at most once, keeping the order of each
/// key's items: round 1 holds every key's first item, round 2 every key's second, and so on. A
/// round can then be applied set-wise (one statement per kind of change) without reordering what
/// happened to one aggregate. Almost every batch is a single round.
package enum BatchRounds {
    package static func split<Item, Key: Hashable>(_ items: [Item], by key: (Item) -> Key) -> [[Item]] {
        var rounds: [[Item]] = []
        var seen: [Key: Int] = [:]
        for item in items {
            let round = seen[key(item), default: 0]
            seen[key(item)] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(item)
        }
        return rounds
    }
}
