/// Where the projection keeps a user's readings: one `jsonb` object per reading, keyed by field
/// path, as ``SubjectValues`` holds them (e.g. `u.v_text`).
public struct SQLColumns: Hashable, Sendable {
    public var text: String
    public var folded: String
    public var number: String
    public var bool: String
    public var day: String

    public init(text: String, folded: String, number: String, bool: String, day: String) {
        self.text = text
        self.folded = folded
        self.number = number
        self.bool = bool
        self.day = day
    }

    /// Columns `v_text`, `v_folded`, `v_number`, `v_bool`, `v_day`, optionally qualified by `alias`.
    public static func projection(alias: String? = nil) -> SQLColumns {
        let prefix = alias.map { "\($0)." } ?? ""
        return SQLColumns(
            text: "\(prefix)v_text", folded: "\(prefix)v_folded", number: "\(prefix)v_number", bool: "\(prefix)v_bool",
            day: "\(prefix)v_day")
    }
}
