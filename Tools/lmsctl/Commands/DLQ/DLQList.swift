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
        var object: [String: JSONValue] = [
            "partition": .number(Double(record.partition)), "offset": .number(Double(record.offset)),
            "headers": .object(
                Dictionary(record.headers.map { ($0.key, $0.stringValue.map(JSONValue.string) ?? .null) }, uniquingKeysWith: { _, last in last })),
        ]
        object["key"] = record.keyText.map(JSONValue.string) ?? .null
        object["sourceTopic"] = record.sourceTopic.map(JSONValue.string) ?? .null
        object["sourcePartition"] = record.sourcePartition.map { .number(Double($0)) } ?? .null
        object["sourceOffset"] = record.sourceOffset.map { .number(Double($0)) } ?? .null
        object["errorClass"] = record.errorClass.map(JSONValue.string) ?? .null
        object["errorMessage"] = record.errorMessage.map(JSONValue.string) ?? .null
        object["failedAt"] = record.failedAt.map(JSONValue.string) ?? .null
        object["type"] = record.eventType.map(JSONValue.string) ?? .null
        object["value"] = record.value.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
        return .object(object)
    }
}
