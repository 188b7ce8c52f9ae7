/// Which dead letters a command acts on. Criteria combine with AND; `all` selects everything
/// the other criteria allow.
struct DeadLetterSelection: Sendable, Equatable {
    var all = false
    var sourceOffsets: [Int64] = []
    var sourceTopic: String?
    var sourcePartition: Int32?
    var errorClass: String?

    /// True when at least one criterion narrows the selection or `all` was asked for.
    var isExplicit: Bool {
        all || !sourceOffsets.isEmpty || sourceTopic != nil || sourcePartition != nil || errorClass != nil
    }

    func matches(_ record: DeadLetterRecord) -> Bool {
        if !sourceOffsets.isEmpty {
            guard let offset = record.sourceOffset, sourceOffsets.contains(offset) else { return false }
        }
        if let sourceTopic, record.sourceTopic != sourceTopic { return false }
        if let sourcePartition, record.sourcePartition != sourcePartition { return false }
        if let errorClass, record.errorClass != errorClass { return false }
        return true
    }

    func select(_ records: [DeadLetterRecord]) -> [DeadLetterRecord] {
        records.filter(matches)
    }
}
