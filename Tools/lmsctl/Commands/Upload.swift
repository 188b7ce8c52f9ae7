import Contracts
import Foundation
import ServiceHTTP

/// A CSV file read for upload, with its size and data-row count for the progress display: the
/// shared part of `users import` and `enroll`.
struct Upload: Sendable {
    var path: String
    var bytes: [UInt8]
    var dataRows: Int

    static func csv(_ path: String) throws(CLIError) -> Upload {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        let bytes = Array(data)
        return Upload(path: path, bytes: bytes, dataRows: max(0, CSVRecordCounter.count(bytes) - 1))
    }

    var fileName: String { URL(fileURLWithPath: path).lastPathComponent }

    /// POSTs the CSV `file` to `requestPath` with a progress display on stderr (`--quiet` hides it)
    /// and requires a 2xx answer.
    static func post(
        _ file: String, to requestPath: String, of service: ServiceName, global: GlobalOptions, quiet: Bool, idempotencyKey: String?,
        context: String
    ) async throws(CLIError) -> APIResponse {
        let upload = try csv(file)
        let client = try global.client(for: service)
        let progress =
            quiet ? nil : ProgressReporter(label: "uploading \(upload.fileName)", bytesTotal: upload.bytes.count, rowsTotal: upload.dataRows)
        progress?.begin()
        defer { progress?.end() }
        return try await client.send(
            .POST, requestPath, body: .upload(upload.bytes, contentType: "text/csv", progress: progress), idempotencyKey: idempotencyKey
        ).requireSuccess(context: context)
    }

    /// The per-row results as a table (only the rejected ones with `rejectedOnly`).
    static func table(_ items: [JSONValue], columns: [String], rejectedOnly: Bool, cells: (JSONValue) -> [String]) -> TextTable {
        var table = TextTable(columns: columns)
        for item in items where !rejectedOnly || JSONOutput.cell(item["result"]) == "rejected" {
            table.append(cells(item))
        }
        return table
    }

    /// Exit status 2 when the answer counts rejected rows.
    static func requireNoneRejected(_ rejected: JSONValue?) throws(CLIError) {
        if let rejected = rejected?.doubleValue, rejected > 0 {
            throw CLIError("\(Int(rejected)) row(s) rejected", status: .rowsRejected)
        }
    }
}
