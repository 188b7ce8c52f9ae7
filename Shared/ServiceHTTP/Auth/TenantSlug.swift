/// The tenant id rule: `^[a-z0-9][a-z0-9-]{1,62}$`.
enum TenantSlug {
    static func isValid(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (2...63).contains(bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() {
            let alphanumeric = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard alphanumeric || (index > 0 && byte == UInt8(ascii: "-")) else { return false }
        }
        return true
    }
}
