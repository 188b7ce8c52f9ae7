import Crypto
import Foundation
import ServiceHTTP

/// Secrets handed out once (enrollment keys, link tokens) and kept only as SHA-256 hashes.
package enum SecretToken {
    /// Key alphabet without look-alikes (no 0/O, 1/I/L): 31 symbols, about 4.95 bits each.
    private static let keyAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789".utf8)

    /// A new enrollment key for people to type: 16 symbols (79 random bits) as `XXXX-XXXX-XXXX-XXXX`.
    package static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let symbols = (0..<16).map { _ in keyAlphabet[Int(generator.next(upperBound: UInt32(keyAlphabet.count)))] }
        let groups = stride(from: 0, to: 16, by: 4).map { String(decoding: symbols[$0..<$0 + 4], as: UTF8.self) }
        return groups.joined(separator: "-")
    }

    /// A key as typed, for hashing: case, spaces and dashes do not matter.
    package static func normalizedKey(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { $0 != "-" && !$0.properties.isWhitespace }.map(Character.init))
    }

    /// A new link token: 256 random bits, base64url without padding.
    package static func newLinkToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// The SHA-256 of a secret as lowercase hex, the form stored in the database.
    package static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).hexString
    }

    /// Compares two hashes in time that depends only on their lengths, never on where they differ.
    package static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
