/// The scopes of a token: the OAuth `scope` claim is one space-separated string (RFC 8693 §4.2),
/// while some identity providers send `scp` as a JSON array. Both forms are accepted in both claims.
struct ScopeClaim: Codable, Sendable, Hashable {
    var names: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            names = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        } else {
            names = try container.decode([String].self)
        }
    }

    /// Encodes the space-separated form.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(names.joined(separator: " "))
    }

    /// The known scopes among `names`.
    var scopes: Set<Scope> {
        Set(names.compactMap(Scope.init(rawValue:)))
    }
}
