import Hummingbird
import ServiceHTTP

/// The answer to `POST /v1/users:import`: counts per result and one result per data row, in file order.
struct ImportReport: ResponseGenerator, Sendable {
    struct Counts: Codable, Hashable, Sendable {
        var total = 0
        var created = 0
        var updated = 0
        var unchanged = 0
        var rejected = 0
    }

    var counts: Counts
    var results: [ImportRowResult]

    init(results: [ImportRowResult]) {
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

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try LargeArrayResponse(head: Head(counts: counts), key: "results", elements: results).response(from: request, context: context)
    }
}
