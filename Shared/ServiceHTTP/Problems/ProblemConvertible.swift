/// A service's refusal that answers with a problem of its own: ``ProblemMiddleware`` renders it,
/// so use cases throw their domain errors and controllers need no `catch` to translate them.
public protocol ProblemConvertible: Error {
    /// The problem this refusal answers with.
    var problem: Problem { get }
}
