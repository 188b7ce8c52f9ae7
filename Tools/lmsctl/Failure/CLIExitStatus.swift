/// lmsctl's exit codes, distinct per kind of failure so scripts can tell them apart.
enum CLIExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// Anything else: unreadable file, Kafka failure, unexpected answer.
    case failure = 1
    /// The request succeeded but some rows of an import or bulk enrollment were rejected.
    case rowsRejected = 2
    /// The service answered 4xx (bad input, not found, not allowed).
    case clientError = 4
    /// The service answered 5xx, or could not be reached at all.
    case serverError = 5
    /// Wrong command line (ArgumentParser's own validation failures use the same code).
    case usage = 64
}
