import Foundation

/// Small helpers for server-rendered HTML.
enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A fraction as a percentage with one decimal, e.g. `66.7%`.
    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    /// A number with at most one decimal for SVG coordinates.
    static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
