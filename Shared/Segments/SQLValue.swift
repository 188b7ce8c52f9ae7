/// A parameter value of a translated SQL condition (bound, never spliced into the text).
public enum SQLValue: Hashable, Sendable {
    case text(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case textArray([String])
    case intArray([Int64])
    case doubleArray([Double])
    case boolArray([Bool])

    /// The PostgreSQL type the placeholder is cast to.
    var castType: String {
        switch self {
        case .text: "text"
        case .int: "int8"
        case .double: "float8"
        case .bool: "boolean"
        case .textArray: "text[]"
        case .intArray: "int8[]"
        case .doubleArray: "float8[]"
        case .boolArray: "boolean[]"
        }
    }
}
