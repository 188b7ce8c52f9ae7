/// Counts the rows of a request body while it arrives, chunk by chunk, so that an import over its
/// row limit is refused before the rest of the body is read and parsed. A counter may count fewer
/// rows than the parser finds (an unfinished last row), never more.
public protocol BodyRowCounter: Sendable {
    mutating func feed(_ bytes: some Sequence<UInt8>)
    /// Data rows seen so far.
    var rows: Int { get }
}
