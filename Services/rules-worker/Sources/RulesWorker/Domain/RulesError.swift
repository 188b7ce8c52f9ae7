import Foundation

/// Domain refusals that the HTTP edge maps to problems.
enum RulesError: Error, Hashable, Sendable {
    case duplicateName(String)
}
