import Contracts
import Hummingbird
import Logging
import NIOCore
import ServiceHTTP
import ServicePlatform

extension UserController {
    /// `POST /v1/users:import` (`text/csv`): upserts every data row and answers one result per row.
    ///
    /// The header row names the columns (see ``ImportColumns``); each data row is a merge patch of
    /// its user, creating unknown users. Rows apply in file order, so when a `userId` appears
    /// twice the later row wins (and reports `updated` or `unchanged`). A row that is invalid or
    /// refused is `rejected` with its field errors and never affects the others. The file as a
    /// whole is refused only when it cannot be read: not UTF-8 or broken quoting (400), an unusable
    /// header or more than 100,000 data rows (422), too large (413).
    @Sendable package func importUsers(_ request: Request, context: AppRequestContext) async throws -> ImportReport {
        let identity = try context.require(anyOf: .admin)
        guard let type = Self.mediaType(request), type == "text/csv" || type == "application/csv" else {
            throw Problem.unsupportedMediaType(["text/csv"])
        }
        var request = request
        // Rows are counted while the file arrives: one over the limit stops the upload at once.
        let body = try await request.collectedBody(limit: Self.maximumImportBytes, maximumRows: Self.maximumImportRows, counting: CSVRecordCounter())
        let bytes = Array(body.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Problem.badRequest("The file is not UTF-8 text.", errors: [FieldError(field: "body", message: "must be UTF-8 encoded CSV")])
        }
        let records: [CSVRecord]
        do {
            records = try CSVReader.records(bytes)
        } catch {
            throw Problem.badRequest("The file is not valid CSV.", errors: [FieldError(field: "body", message: error.description)])
        }
        guard let header = records.first else {
            throw Problem.validation([FieldError(field: "body", message: "the file has no header row")])
        }
        let columns: ImportColumns
        do {
            columns = try ImportColumns(header: header.fields)
        } catch {
            throw Problem.validation(error.errors, detail: "The header row cannot be imported.")
        }
        let data = records.dropFirst()
        guard data.count <= Self.maximumImportRows else {
            throw Problem.validation([
                FieldError(field: "body", message: "has \(data.count) data rows; at most \(Self.maximumImportRows) per import")
            ])
        }
        let rows = data.enumerated().map { columns.row(number: $0.offset + 1, cells: $0.element.fields) }
        var rowContext = changeContext(identity, context)
        rowContext.origin = .import
        let report = ImportReport(results: try await directory.importRows(rows, tenantId: identity.tenantId, context: rowContext))
        context.logger.info("Users imported", metadata: ["rows": "\(report.counts.total)", "rejected": "\(report.counts.rejected)"])
        return report
    }
}
