import Hummingbird
import ServiceHTTP

/// The answer to `POST /v1/users:import`: counts per result and one result per data row, in file order.
package struct ImportReport: ResponseGenerator, Sendable {
    package struct Counts: Codable, Hashable, Sendable {
        package var total: Int
        package var created: Int
        package var updated: Int
        package var unchanged: Int
        package var rejected: Int
    }

    package var counts: Counts
    package var results: [ImportRowResult]

    package init(results: [ImportRowResult]) {
        func count(_ result: ImportRowResult.Result) -> Int { results.count { $0.result == result } }
        counts = Counts(
            total: results.count, created: count(.created), updated: count(.updated), unchanged: count(.unchanged), rejected: count(.rejected))
        self.results = results
    }

    /// The members besides `results`.
    private struct Head: Encodable, Sendable {
        var counts: Counts
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try LargeArrayResponse(head: Head(counts: counts), key: "results", elements: results).response(from: request, context: context)
    }
}
