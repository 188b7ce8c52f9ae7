import ArgumentParser
import Contracts
import Kafka

/// `lmsctl dlq list`: every dead letter with its origin and reason.
struct DLQList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List dead letters: DLQ partition:offset, source topic[partition]@offset, error class and message, failed at, type.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var dlq: DLQOptions
    @Flag(help: "Print CSV instead of a table.") var csv = false
    @Option(help: "Cut error messages longer than this in the table (0: never).") var width: Int = 80

    func run() async throws {
        let records = dlq.selection.select(try await dlq.reader(global).read())
        if global.json {
            Console.out(JSONOutput.pretty(.array(records.map(Self.json))))
            return
        }
        let table = Self.table(records, messageWidth: csv ? 0 : width)
        if csv {
            Console.raw(table.csv())
        } else {
            Console.out(records.isEmpty ? "(no dead letters)" : table.render())
        }
    }

    static func table(_ records: [DeadLetterRecord], messageWidth: Int) -> TextTable {
        var table = TextTable(columns: ["offset", "source", "error class", "error message", "failed at", "type", "key"])
        for record in records {
            var message = record.errorMessage ?? ""
            if messageWidth > 0, message.count > messageWidth { message = String(message.prefix(max(1, messageWidth - 1))) + "…" }
            table.append([
                "\(record.partition):\(record.offset)", record.sourceDescription, record.errorClass ?? "", message, record.failedAt ?? "",
                record.eventType ?? "", record.keyText ?? "",
            ])
        }
        return table
    }

    static func json(_ record: DeadLetterRecord) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: (some BinaryInteger)?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        return [
            "partition": number(record.partition), "offset": number(record.offset), "key": text(record.keyText),
            "headers": .object(Dictionary(record.headers.map { ($0.key, text($0.stringValue)) }, uniquingKeysWith: { _, last in last })),
            "sourceTopic": text(record.sourceTopic), "sourcePartition": number(record.sourcePartition),
            "sourceOffset": number(record.sourceOffset), "errorClass": text(record.errorClass), "errorMessage": text(record.errorMessage),
            "failedAt": text(record.failedAt), "type": text(record.eventType),
            "value": text(record.value.map { String(decoding: $0, as: UTF8.self) }),
        ]
    }
}
