/// The import answer as the tests decode it.
struct ImportAnswer: Decodable {
    struct Counts: Decodable, Equatable {
        var total: Int
        var created: Int
        var updated: Int
        var unchanged: Int
        var rejected: Int
    }

    struct Row: Decodable {
        struct Error: Decodable, Equatable {
            var field: String
            var message: String
        }

        var row: Int
        var userId: String?
        var result: String
        var errors: [Error]?
    }

    var counts: Counts
    var results: [Row]
}
