import Contracts
import Hummingbird

/// A course's settings as the API returns them (the `lms.course.upserted` payload).
struct CourseView: ResponseEncodable, Sendable {
    var settings: CourseSettings

    func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
    }
}
