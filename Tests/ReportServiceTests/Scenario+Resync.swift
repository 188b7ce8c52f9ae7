import Contracts
import Foundation

extension Scenario {
    /// What the owners would answer to a resync of `tenant`: its users, courses, final enrollments
    /// and progress in pages (enrollments over two pages), and one completion per source.
    func resyncEvents(tenant: String, resyncId: UUID) throws -> (pages: [CloudEvent], completions: [CloudEvent]) {
        func payloads<P: EventPayload>(_ events: [CloudEvent], _ type: P.Type) throws -> [P] {
            try events.map { try $0.decodePayload(P.self) }.filter { $0.tenantId == tenant }
        }
        // Each enrollment as its owner holds it now: the final state at the version it was last announced with.
        let latest = try facts.map { fact in
            let first: EnrollmentStatus = fact.status == .waitlisted ? .waitlisted : .active
            return fact.status == first
                ? try enrollmentEvent(fact, status: first, completedAt: nil, version: 1)
                : try enrollmentEvent(fact, status: fact.status, completedAt: fact.completedAt, version: 2)
        }
        let enrollments = try payloads(latest, EnrollmentSnapshot.self)
        let items: [ResyncItems] = [
            .users(try payloads(try userEvents(), UserSnapshot.self)),
            .courses(try payloads(try courseEvents(), CourseSettings.self)),
            .enrollments(Array(enrollments.prefix(2))), .enrollments(Array(enrollments.dropFirst(2))),
            .progress(try payloads(try progressEvents(), ProgressSnapshot.self)),
        ].filter { $0.count > 0 }
        var pages: [ResyncPage] = []
        for list in items {
            pages.append(ResyncPage(tenantId: tenant, resyncId: resyncId, page: pages.filter { $0.source == list.source }.count, items: list))
        }
        let completions = ResyncSource.allCases.map { source in
            let own = pages.filter { $0.source == source }
            return ResyncCompleted(
                tenantId: tenant,
                resyncId: resyncId,
                source: source,
                pages: own.count,
                items: own.map(\.items.count).reduce(0, +),
                completedAt: now
            )
        }
        return (
            try pages.map { try CloudEvent.make($0, source: "/lms/\($0.source.owner)") },
            try completions.map { try CloudEvent.make($0, source: "/lms/\($0.source.owner)") }
        )
    }
}
