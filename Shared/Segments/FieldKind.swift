/// The value kind of a field.
public enum FieldKind: String, Hashable, Sendable {
    /// Strings compared byte for byte (optionally ignoring case).
    case text
    /// A calendar day (`hireDate`).
    case date
    /// The user status: `active` or `deactivated`.
    case status
    /// A custom attribute: a string, number or boolean, so its comparisons are typed by the condition's value.
    case attribute
}
