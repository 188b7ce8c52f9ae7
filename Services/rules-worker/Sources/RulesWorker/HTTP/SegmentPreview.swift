import Hummingbird

/// `POST /v1/segments:preview`: how many users match and the first of them by user id.
struct SegmentPreview: ResponseEncodable, Sendable {
    /// Users (not erased) the criteria were evaluated for.
    var evaluated: Int
    /// Users matching.
    var count: Int
    var sample: [MemberView]
}
