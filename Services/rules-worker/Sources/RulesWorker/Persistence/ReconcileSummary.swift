/// One row of ``ReconcileQuery/summary(sampleSize:)``: what a rule would do over a whole tenant.
package struct ReconcileSummary: Sendable {
    /// (user, course) pairs and distinct users of one action.
    package struct Total: Decodable, Sendable {
        package var action: String
        package var pairs: Int
        package var users: Int
    }

    /// One (user, course) of an action.
    package struct Sample: Decodable, Sendable {
        package var action: String
        package var userId: String
        package var courseId: String
    }

    /// Active users evaluated.
    package var evaluated = 0
    /// Active users the criteria match.
    package var matching = 0
    package var totals: [Total] = []
    package var samples: [Sample] = []
}
