/// The facts of one ``ResyncPage``: full snapshots, exactly as the owner announces them on its own topic.
public enum ResyncItems: Sendable, Equatable {
    case users([UserSnapshot])
    case courses([CourseSettings])
    case enrollments([EnrollmentSnapshot])
    case progress([ProgressSnapshot])

    public var source: ResyncSource {
        switch self {
        case .users: .users
        case .courses: .courses
        case .enrollments: .enrollments
        case .progress: .progress
        }
    }

    public var count: Int {
        switch self {
        case .users(let items): items.count
        case .courses(let items): items.count
        case .enrollments(let items): items.count
        case .progress(let items): items.count
        }
    }

    /// The items' own checks; each names the item's index.
    func validate(tenantId: String) throws(PayloadValidationError) {
        func check(_ items: [some EventPayload]) throws(PayloadValidationError) {
            for (index, item) in items.enumerated() {
                guard item.tenantId == tenantId else { throw FieldCheck.fail("items[\(index)].tenantId", "must be the page's tenant") }
                do throws(PayloadValidationError) {
                    try item.validate()
                } catch {
                    throw FieldCheck.fail("items[\(index)].\(error.field)", error.message)
                }
            }
        }
        switch self {
        case .users(let items): try check(items)
        case .courses(let items): try check(items)
        case .enrollments(let items): try check(items)
        case .progress(let items): try check(items)
        }
    }

    /// Splits the items in two halves of the same source (for a page that encodes too large).
    public func halves() -> (ResyncItems, ResyncItems) {
        func split<T>(_ items: [T]) -> ([T], [T]) { (Array(items.prefix(items.count / 2)), Array(items.dropFirst(items.count / 2))) }
        switch self {
        case .users(let items):
            let (a, b) = split(items)
            return (.users(a), .users(b))
        case .courses(let items):
            let (a, b) = split(items)
            return (.courses(a), .courses(b))
        case .enrollments(let items):
            let (a, b) = split(items)
            return (.enrollments(a), .enrollments(b))
        case .progress(let items):
            let (a, b) = split(items)
            return (.progress(a), .progress(b))
        }
    }
}
