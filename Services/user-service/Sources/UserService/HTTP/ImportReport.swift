import Hummingbird
import ServiceHTTP

/// The answer to `POST /v1/users:import`: counts per result and one result per data row, in file order.
package struct ImportReport: ResponseGenerator, Sendable {
    package struct Counts: Codable, Hashable, Sendable {
        package var total = 0
        package var created = 0
        package var updated = 0
        package var unchanged = 0
        package var rejected = 0
    }

    package var counts: Counts
    package var results: [ImportRowResult]

    package init(results: [ImportRowResult]) {
        var counts = Counts(total: results.count)
        for result in results {
            switch result.result {
            case .created: counts.created += 1
            case .updated: counts.updated += 1
            case .unchanged: counts.unchanged += 1
            case .rejected: counts.rejected += 1
            }
        }
        self.counts = counts
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
