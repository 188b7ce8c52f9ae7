/// Learner progress in an enrollment (snake_case on the wire).
public enum ProgressStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case completed
    case failed
}
