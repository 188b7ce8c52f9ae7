/// Collects bind values and hands out their placeholders.
struct SQLParameters {
    let offset: Int
    var binds: [SQLValue] = []

    mutating func bind(_ value: SQLValue) -> String {
        binds.append(value)
        return "$\(offset + binds.count)::\(value.castType)"
    }
}
