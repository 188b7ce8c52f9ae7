/// One record of a CSV file: its fields and the line it starts on (1-based).
package struct CSVRecord: Hashable, Sendable {
    package var line: Int
    package var fields: [String]
}
