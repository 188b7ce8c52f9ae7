/// Removes what a terminal would obey instead of print from data lmsctl shows (DLQ keys and
/// messages, names and titles from the APIs): ESC, the other C0 controls, DEL and the C1 controls
/// (U+0080-U+009F, where U+009B is a one-character CSI). Each is replaced by U+FFFD so the reader
/// sees that something was there. The line breaks and tabs a format needs are kept.
enum TerminalText {
    /// The mark shown in place of a control character.
    static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// `text` with every control character except those in `keeping` replaced.
    static func sanitized(_ text: String, keeping: Set<Unicode.Scalar> = ["\n", "\t"]) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !keeping.contains($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isControl(scalar) && !keeping.contains(scalar) ? replacement : scalar)
        }
        return String(scalars)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
