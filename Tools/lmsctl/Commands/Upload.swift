import Foundation
import ServiceHTTP

/// A CSV file read for upload, with its size and data-row count for the progress display.
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

    /// Sends the file with a progress display on stderr (`--quiet` hides it).
    func send(
        _ client: APIClient,
        path requestPath: String,
        contentType: String = "text/csv",
        quiet: Bool,
        idempotencyKey: String?
    ) async throws(CLIError) -> APIResponse {
        let progress = quiet ? nil : ProgressReporter(label: "uploading \(fileName)", bytesTotal: bytes.count, rowsTotal: dataRows)
        progress?.begin()
        defer { progress?.end() }
        return try await client.send(
            .POST,
            requestPath,
            body: .upload(bytes, contentType: contentType, progress: progress),
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        )
    }
}
