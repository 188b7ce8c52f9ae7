import Foundation

/// Domain refusals that the HTTP edge maps to problems.
package enum RulesError: Error, Hashable, Sendable {
    case duplicateName(String)
}
