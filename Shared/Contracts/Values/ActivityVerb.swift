/// What a learner did in a `platform.learning.activity` statement (xAPI-like verbs).
public enum ActivityVerb: String, CaseIterable, Hashable, Sendable, Codable {
    case started
    case progressed
    case completed
    case passed
    case failed
}
