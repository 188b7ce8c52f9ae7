/// One record of a CSV file: its fields and the line it starts on (1-based).
struct CSVRecord: Hashable, Sendable {
    var line: Int
    var fields: [String]
}
