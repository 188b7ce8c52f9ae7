/// `POST /v1/segments:preview`: how many users match and the first of them by user id.
package struct SegmentPreview: Encodable, Sendable {
    /// Users (not erased) the criteria were evaluated for.
    package var evaluated: Int
    /// Users matching.
    package var count: Int
    package var sample: [SegmentMember]
}
