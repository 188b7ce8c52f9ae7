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

    /// The learners the items are about (none for courses).
    public var userIds: [String] {
        switch self {
        case .users(let items): items.map(\.userId)
        case .courses: []
        case .enrollments(let items): items.map(\.userId)
        case .progress(let items): items.map(\.userId)
        }
    }

    /// The items without those about `users`.
    public func droppingUsers(_ users: Set<String>) -> ResyncItems {
        guard !users.isEmpty else { return self }
        switch self {
        case .users(let items): return .users(items.filter { !users.contains($0.userId) })
        case .courses: return self
        case .enrollments(let items): return .enrollments(items.filter { !users.contains($0.userId) })
        case .progress(let items): return .progress(items.filter { !users.contains($0.userId) })
        }
    }

    /// The items that pass their own type's checks for `tenantId`, and how many did not (an owner
    /// leaves a fact the contract cannot carry out of its answer rather than fail the whole page).
    public func keepingValid(tenantId: String) -> (items: ResyncItems, dropped: Int) {
        func valid<Item: EventPayload>(_ item: Item) -> Bool {
            guard item.tenantId == tenantId else { return false }
            do throws(PayloadValidationError) {
                try item.validate()
                return true
            } catch {
                return false
            }
        }
        let kept: ResyncItems
        switch self {
        case .users(let items): kept = .users(items.filter(valid))
        case .courses(let items): kept = .courses(items.filter(valid))
        case .enrollments(let items): kept = .enrollments(items.filter(valid))
        case .progress(let items): kept = .progress(items.filter(valid))
        }
        return (kept, count - kept.count)
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
