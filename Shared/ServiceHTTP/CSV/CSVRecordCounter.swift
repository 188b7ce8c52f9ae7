/// Counts RFC 4180 records in bytes fed chunk by chunk (a record ends at a line break outside
/// quotes), so an upload can report how many rows have been sent. Quoted line breaks stay inside
/// their record; CRLF and LF both end a record; a last record without a final line break counts
/// once ``finish()`` is called. Blank lines are not records. lmsctl counts the rows it uploads
/// with it; the import endpoints count rows while the body arrives (``BodyRowCounter``).
public struct CSVRecordCounter: BodyRowCounter, Sendable, Equatable {
    public private(set) var records = 0
    private var inQuotes = false
    private var recordHasContent = false

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""):
                inQuotes.toggle()
                recordHasContent = true
            case UInt8(ascii: "\n") where !inQuotes:
                if recordHasContent { records += 1 }
                recordHasContent = false
            case UInt8(ascii: "\r") where !inQuotes:
                break
            default:
                recordHasContent = true
            }
        }
    }

    /// Counts a trailing record that has no line break after it.
    public mutating func finish() {
        if recordHasContent { records += 1 }
        recordHasContent = false
    }

    /// Data rows so far: the records after the header record.
    public var rows: Int { max(0, records - 1) }

    /// Records in a whole document.
    public static func count(_ bytes: some Sequence<UInt8>) -> Int {
        var counter = CSVRecordCounter()
        counter.feed(bytes)
        counter.finish()
        return counter.records
    }
}
