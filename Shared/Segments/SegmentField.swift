import Contracts

/// A user field a segment condition can test: a profile field or a custom attribute.
///
/// Written as a path: the profile field's name (`department`, `hireDate`) or `attributes.<name>`.
public enum SegmentField: Hashable, Sendable, CustomStringConvertible {
    case profile(ProfileField)
    /// A custom attribute by name (1-64 characters, no control characters).
    case attribute(String)

    public static let attributePrefix = "attributes."
    public static let maximumAttributeNameLength = 64

    /// Parses a field path; `nil` for unknown fields and invalid attribute names.
    public init?(path: String) {
        if let field = ProfileField(rawValue: path) {
            self = .profile(field)
        } else if path.hasPrefix(Self.attributePrefix) {
            let name = String(path.dropFirst(Self.attributePrefix.count))
            guard Self.isValidAttributeName(name) else { return nil }
            self = .attribute(name)
        } else {
            return nil
        }
    }

    /// The path as written in criteria, explanations and the projection (`department`, `attributes.level`).
    public var path: String {
        switch self {
        case .profile(let field): field.rawValue
        case .attribute(let name): Self.attributePrefix + name
        }
    }

    public var description: String { path }

    /// What kind of values the field holds, which decides the operators and values it accepts.
    public var kind: FieldKind {
        switch self {
        case .profile(.hireDate): .date
        case .profile(.status): .status
        case .profile: .text
        case .attribute: .attribute
        }
    }

    static func isValidAttributeName(_ name: String) -> Bool {
        let count = name.unicodeScalars.count
        guard count >= 1 && count <= maximumAttributeNameLength else { return false }
        return !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
