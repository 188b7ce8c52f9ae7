/// A non-cryptographic 128-bit digest (FNV-1a) for shortening idempotency keys; ids are not secrets,
/// so collision resistance against an adversary is not needed.
package enum Digest {
    package static func fnv1a128(_ text: String) -> String {
        // Two independent 64-bit FNV-1a lanes (different offset bases) make 128 bits.
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* prime
            second = (second ^ UInt64(byte ^ 0x5a)) &* prime
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
