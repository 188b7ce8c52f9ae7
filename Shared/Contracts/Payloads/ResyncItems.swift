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

    /// The items as payloads; each one's `aggregateId` is its learner, or its course for courses.
    private var payloads: [any EventPayload] {
        switch self {
        case .users(let items): items
        case .courses(let items): items
        case .enrollments(let items): items
        case .progress(let items): items
        }
    }

    public var count: Int { payloads.count }

    /// The learners the items are about (none for courses).
    public var userIds: [String] { source == .courses ? [] : payloads.map(\.aggregateId) }

    /// The items without those about `users`.
    public func droppingUsers(_ users: Set<String>) -> ResyncItems {
        guard !users.isEmpty, source != .courses else { return self }
        return filter { !users.contains($0.aggregateId) }
    }

    /// The items that pass their own type's checks for `tenantId`, and how many did not (an owner
    /// leaves a fact the contract cannot carry out of its answer rather than fail the whole page).
    public func keepingValid(tenantId: String) -> (items: ResyncItems, dropped: Int) {
        let kept = filter { item in
            guard item.tenantId == tenantId else { return false }
            do throws(PayloadValidationError) {
                try item.validate()
                return true
            } catch {
                return false
            }
        }
        return (kept, count - kept.count)
    }

    /// The items' own checks; each names the item's index.
    func validate(tenantId: String) throws(PayloadValidationError) {
        for (index, item) in payloads.enumerated() {
            guard item.tenantId == tenantId else { throw FieldCheck.fail("items[\(index)].tenantId", "must be the page's tenant") }
            do throws(PayloadValidationError) {
                try item.validate()
            } catch {
                throw FieldCheck.fail("items[\(index)].\(error.field)", error.message)
            }
        }
    }

    /// Splits the items in two halves of the same source (for a page that encodes too large).
    public func halves() -> (ResyncItems, ResyncItems) {
        (slice(0..<count / 2), slice(count / 2..<count))
    }

    private func filter(_ isIncluded: (any EventPayload) -> Bool) -> ResyncItems {
        switch self {
        case .users(let items): .users(items.filter(isIncluded))
        case .courses(let items): .courses(items.filter(isIncluded))
        case .enrollments(let items): .enrollments(items.filter(isIncluded))
        case .progress(let items): .progress(items.filter(isIncluded))
        }
    }

    private func slice(_ range: Range<Int>) -> ResyncItems {
        switch self {
        case .users(let items): .users(Array(items[range]))
        case .courses(let items): .courses(Array(items[range]))
        case .enrollments(let items): .enrollments(Array(items[range]))
        case .progress(let items): .progress(Array(items[range]))
        }
    }
}
