import Contracts
import PostgresNIO
import Segments

/// SQL assembled at run time (translated criteria) with every value bound as a parameter.
package struct DynamicQuery {
    private(set) var sql = ""
    private(set) var bindings = PostgresBindings()

    package init() {}

    /// Appends SQL text.
    package mutating func append(_ text: String) {
        sql += text
    }

    /// Binds `value` and returns its placeholder (`$n`).
    package mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// Binds an optional value (NULL when nil) and returns its placeholder.
    package mutating func bind(_ value: (some PostgresDynamicTypeEncodable)?) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// Binds the translation of `criteria` and returns its SQL (a boolean expression, never NULL).
    package mutating func criteria(_ criteria: CompiledCriteria, today: CalendarDate) -> String {
        let fragment = criteria.sql(today: today, parameterOffset: bindings.count)
        for value in fragment.binds {
            switch value {
            case .text(let text): bindings.append(text)
            case .int(let number): bindings.append(number)
            case .double(let number): bindings.append(number)
            case .bool(let flag): bindings.append(flag)
            case .textArray(let values): bindings.append(values)
            case .intArray(let values): bindings.append(values)
            case .doubleArray(let values): bindings.append(values)
            case .boolArray(let values): bindings.append(values)
            }
        }
        return fragment.sql
    }

    package var query: PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
