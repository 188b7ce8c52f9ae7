import Foundation

extension KeyedEncodingContainer {
    /// UUIDs go on the wire in canonical lowercase form (Foundation's default is uppercase).
    mutating func encodeLowercased(_ uuid: UUID, forKey key: Key) throws {
        try encode(uuid.uuidString.lowercased(), forKey: key)
    }

    mutating func encodeLowercasedIfPresent(_ uuid: UUID?, forKey key: Key) throws {
        guard let uuid else { return }
        try encodeLowercased(uuid, forKey: key)
    }
}
