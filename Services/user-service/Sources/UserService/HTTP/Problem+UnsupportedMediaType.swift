import HTTPTypes
import ServiceHTTP

extension Problem {
    /// 415: the body is not in a media type the endpoint reads.
    package static func unsupportedMediaType(_ accepted: [String]) -> Problem {
        Problem(
            slug: "unsupported-media-type", title: "Unsupported media type", status: .unsupportedMediaType,
            detail: "Send the body as \(accepted.joined(separator: " or ")).")
    }
}
