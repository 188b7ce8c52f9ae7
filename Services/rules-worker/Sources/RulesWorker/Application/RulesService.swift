import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServiceHTTP
import ServicePlatform

/// The admin operations on segments and rules: each change and the job it opens commit together.
package struct RulesService: Sendable {
    package let database: ServiceDatabase
    package let repositories: RulesRepositories
    package let clock: any ServiceClock
    package let signal: JobSignal
    package let logger: Logger

    package static let sampleSize = 20

    // MARK: Segments

    package func createSegment(tenantId: String, name: String, description: String?, criteria: Criteria) async throws -> SegmentView {
        let now = clock.now()
        let segment = Segment(
            tenantId: tenantId, segmentId: UUID(), name: name, description: description, criteria: criteria, version: 1, createdAt: now,
            updatedAt: now)
        let job = try await Self.refusalsAsProblems {
            try await write { connection in
                try await repositories.segments.save(segment, on: connection)
                return try await repositories.jobs.create(
                    tenantId: tenantId, kind: .segment, targetId: segment.segmentId, targetVersion: 1, reason: "create", enrollNew: false, now: now,
                    on: connection)
            }
        }
        signal.signal()
        return SegmentView(segment: segment, job: job)
    }

    /// Replaces a segment's definition; a changed definition bumps the version and re-evaluates the
    /// memberships and the active rules that use the segment.
    package func updateSegment(tenantId: String, segmentId: UUID, name: String, description: String?, criteria: Criteria) async throws -> SegmentView
    {
        let now = clock.now()
        let view: SegmentView = try await Self.refusalsAsProblems {
            try await write { connection in
                guard var segment = try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, forUpdate: true, on: connection)
                else {
                    throw Problem.notFound("Segment \(segmentId.uuidString.lowercased())")
                }
                guard segment.name != name || segment.description != description || segment.criteria != criteria else {
                    return SegmentView(
                        segment: segment, job: try await repositories.jobs.latest(tenantId: tenantId, targetId: segmentId, on: connection))
                }
                let criteriaChanged = segment.criteria != criteria
                segment.name = name
                segment.description = description
                segment.criteria = criteria
                segment.version += 1
                segment.updatedAt = now
                try await repositories.segments.save(segment, on: connection)
                guard criteriaChanged else {
                    return SegmentView(
                        segment: segment, job: try await repositories.jobs.latest(tenantId: tenantId, targetId: segmentId, on: connection))
                }
                let job = try await repositories.jobs.create(
                    tenantId: tenantId, kind: .segment, targetId: segmentId, targetVersion: segment.version, reason: "update", enrollNew: false,
                    now: now, on: connection)
                for rule in try await repositories.rules.activeUsing(tenantId: tenantId, segmentId: segmentId, on: connection) {
                    _ = try await repositories.jobs.create(
                        tenantId: tenantId, kind: .rule, targetId: rule.ruleId, targetVersion: rule.version, reason: "segment-update",
                        enrollNew: rule.backfill, enrollIgnored: rule.backfill, now: now, on: connection)
                }
                return SegmentView(segment: segment, job: job)
            }
        }
        signal.signal()
        return view
    }

    package func segment(tenantId: String, segmentId: UUID) async throws -> SegmentView {
        try await read { connection in
            guard let segment = try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, on: connection) else {
                throw Problem.notFound("Segment \(segmentId.uuidString.lowercased())")
            }
            return SegmentView(segment: segment, job: try await repositories.jobs.latest(tenantId: tenantId, targetId: segmentId, on: connection))
        }
    }

    package func segmentExists(tenantId: String, segmentId: UUID) async throws -> Bool {
        try await read { connection in
            try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, on: connection) != nil
        }
    }

    /// Count and first users matching `criteria` now, evaluated in PostgreSQL over the projection.
    package func previewSegment(tenantId: String, criteria: Criteria, sampleSize: Int = RulesService.sampleSize) async throws -> SegmentPreview {
        let compiled = CompiledCriteria(criteria)
        let today = CalendarDate(clock.now())
        return try await read { connection in
            var count = DynamicQuery()
            let tenant = count.bind(tenantId)
            let matches = count.criteria(compiled, columns: .projection(), today: today)
            count.append(
                """
                SELECT count(*) FILTER (WHERE m)::int8, count(*)::int8
                FROM (SELECT \(matches) AS m FROM users WHERE tenant_id = \(tenant)::text AND status <> 'erased') evaluated
                """)
            var evaluated = 0
            var matching = 0
            for try await (hits, all) in try await connection.query(count.query, logger: logger).decode((Int64, Int64).self) {
                matching = Int(hits)
                evaluated = Int(all)
            }
            let sample = try await members(tenantId: tenantId, criteria: compiled, today: today, after: nil, limit: sampleSize, on: connection)
            return SegmentPreview(evaluated: evaluated, count: matching, sample: sample)
        }
    }

    /// The users matching a segment now (evaluated live over the projection), by user id.
    package func segmentMembers(tenantId: String, segmentId: UUID, page: PageRequest) async throws -> Page<MemberView> {
        let today = CalendarDate(clock.now())
        return try await read { connection in
            guard let segment = try await repositories.segments.find(tenantId: tenantId, segmentId: segmentId, on: connection) else {
                throw Problem.notFound("Segment \(segmentId.uuidString.lowercased())")
            }
            let rows = try await members(
                tenantId: tenantId, criteria: CompiledCriteria(segment.criteria), today: today, after: page.cursor?.values.first,
                limit: page.fetchLimit, on: connection)
            return Page(fetched: rows, request: page) { Cursor(values: [$0.userId]) }
        }
    }

    private func members(
        tenantId: String, criteria: CompiledCriteria, today: CalendarDate, after: String?, limit: Int, on connection: PostgresConnection
    ) async throws -> [MemberView] {
        var query = DynamicQuery()
        let tenant = query.bind(tenantId)
        let cursor = query.bind(after)
        let matches = query.criteria(criteria, columns: .projection(), today: today)
        query.append(
            """
            SELECT user_id, raw::text FROM users
            WHERE tenant_id = \(tenant)::text AND status <> 'erased' AND user_id > COALESCE(\(cursor)::text, '') AND \(matches)
            ORDER BY user_id LIMIT \(query.bind(limit))
            """)
        var members: [MemberView] = []
        for try await (user, raw) in try await connection.query(query.query, logger: logger).decode((String, String).self) {
            members.append(MemberView(userId: user, raw: try JSONValue.object(parsing: raw)))
        }
        return members
    }

    package func listSegments(tenantId: String, page: PageRequest) async throws -> Page<SegmentView> {
        let after = try Self.position(page.cursor)
        return try await read { connection in
            let segments = try await repositories.segments.list(tenantId: tenantId, after: after, limit: page.fetchLimit, on: connection)
            return Page(fetched: segments.map { SegmentView(segment: $0, job: nil) }, request: page) {
                Cursor(values: [$0.segment.name, $0.segment.segmentId.uuidString])
            }
        }
    }

    // MARK: Rules

    package func createRule(tenantId: String, definition: RuleDefinition) async throws -> RuleView {
        let now = clock.now()
        let rule = definition.applied(
            to: Rule(
                tenantId: tenantId, ruleId: UUID(), name: "", description: nil, segmentId: nil, criteria: nil, courseIds: [], status: .draft,
                backfill: false, onUnmatch: .keep, dueInDays: nil, effectiveFrom: nil, effectiveTo: nil, version: 1, createdAt: now,
                updatedAt: now))
        try await Self.refusalsAsProblems { try await write { connection in try await repositories.rules.save(rule, on: connection) } }
        return RuleView(rule: rule, inEffect: false, job: nil)
    }

    /// Replaces a rule's definition. A change bumps the version; on an active rule it opens a job
    /// that applies the new definition to every user (`onUnmatch` for those no longer matching).
    package func updateRule(tenantId: String, ruleId: UUID, definition: RuleDefinition) async throws -> RuleView {
        try await changeRule(tenantId: tenantId, ruleId: ruleId) { rule in
            guard RuleDefinition(of: rule) != definition else { return nil }
            return (definition.applied(to: rule), rule.status == .active ? "update" : nil)
        }
    }

    /// Activates a draft or paused rule and opens its backfill (or baseline) job.
    package func activateRule(tenantId: String, ruleId: UUID) async throws -> RuleView {
        try await changeRule(tenantId: tenantId, ruleId: ruleId) { rule in
            guard rule.status != .active else { return nil }
            var activated = rule
            activated.status = .active
            return (activated, "activate")
        }
    }

    /// Pauses an active rule; its job applies `onUnmatch` to the users it enrolled.
    package func pauseRule(tenantId: String, ruleId: UUID) async throws -> RuleView {
        try await changeRule(tenantId: tenantId, ruleId: ruleId) { rule in
            switch rule.status {
            case .paused: return nil
            case .draft: throw Problem.conflict("Only an active rule can be paused; this rule is a draft.")
            case .active:
                var paused = rule
                paused.status = .paused
                return (paused, "pause")
            }
        }
    }

    /// Applies `change` to the locked rule: `nil` means nothing changes; otherwise the new rule is
    /// saved with the next version and, when a reason is given, a job is opened for it.
    private func changeRule(
        tenantId: String, ruleId: UUID, _ change: @escaping @Sendable (Rule) throws -> (rule: Rule, jobReason: String?)?
    ) async throws -> RuleView {
        let now = clock.now()
        let (view, opened): (RuleView, Bool) = try await Self.refusalsAsProblems {
            try await write { connection in
                guard let current = try await repositories.rules.find(tenantId: tenantId, ruleId: ruleId, forUpdate: true, on: connection) else {
                    throw Problem.notFound("Rule \(ruleId.uuidString.lowercased())")
                }
                guard let changed = try change(current) else {
                    let job = try await repositories.jobs.latest(tenantId: tenantId, targetId: ruleId, on: connection)
                    return (RuleView(rule: current, inEffect: current.isInEffect(at: now), job: job), false)
                }
                var rule = changed.rule
                let reason = changed.jobReason
                rule.version = current.version + 1
                rule.updatedAt = now
                try await repositories.rules.save(rule, on: connection)
                var job: Job?
                if let reason {
                    let inEffect = rule.isInEffect(at: now)
                    job = try await repositories.jobs.create(
                        tenantId: tenantId, kind: .rule, targetId: ruleId, targetVersion: rule.version, reason: reason,
                        enrollNew: inEffect && rule.backfill, enrollIgnored: inEffect && rule.backfill, now: now, on: connection)
                    try await repositories.rules.markSwept(
                        tenantId: tenantId, ruleId: ruleId, inEffect: inEffect, day: CalendarDate(now).daysSinceEpoch, on: connection)
                }
                return (RuleView(rule: rule, inEffect: rule.isInEffect(at: now), job: job), job != nil)
            }
        }
        if opened { signal.signal() }
        return view
    }

    package func rule(tenantId: String, ruleId: UUID) async throws -> RuleView {
        let now = clock.now()
        return try await read { connection in
            guard let rule = try await repositories.rules.find(tenantId: tenantId, ruleId: ruleId, on: connection) else {
                throw Problem.notFound("Rule \(ruleId.uuidString.lowercased())")
            }
            let job = try await repositories.jobs.latest(tenantId: tenantId, targetId: ruleId, on: connection)
            return RuleView(rule: rule, inEffect: rule.isInEffect(at: now), job: job)
        }
    }

    package func listRules(tenantId: String, page: PageRequest) async throws -> Page<RuleView> {
        let after = try Self.position(page.cursor)
        let now = clock.now()
        return try await read { connection in
            let rules = try await repositories.rules.list(tenantId: tenantId, after: after, limit: page.fetchLimit, on: connection)
            return Page(fetched: rules.map { RuleView(rule: $0, inEffect: $0.isInEffect(at: now), job: nil) }, request: page) {
                Cursor(values: [$0.rule.name, $0.rule.ruleId.uuidString])
            }
        }
    }

    /// The diff activating the rule now (with `proposed` as its definition when given) would cause.
    package func previewRule(tenantId: String, ruleId: UUID, proposed: RuleDefinition?) async throws -> RulePreview {
        let now = clock.now()
        return try await read { connection in
            guard let current = try await repositories.rules.find(tenantId: tenantId, ruleId: ruleId, on: connection) else {
                throw Problem.notFound("Rule \(ruleId.uuidString.lowercased())")
            }
            var rule = proposed?.applied(to: current) ?? current
            rule.status = .active
            guard let criteria = try await repositories.rules.criteria(of: rule, on: connection) else {
                throw Problem.conflict("The rule's segment no longer exists.")
            }
            let inEffect = rule.isInEffect(at: now)
            let query = ReconcileQuery(
                rule: rule, criteria: CompiledCriteria(criteria), inEffect: inEffect, enrollNew: inEffect && rule.backfill,
                enrollIgnored: inEffect && rule.backfill, today: CalendarDate(now))
            var preview = RulePreview(ruleId: ruleId.uuidString.lowercased(), version: current.version, evaluated: 0, matching: 0, inEffect: inEffect)
            let rows = try await connection.query(query.summary(sampleSize: Self.sampleSize).query, logger: logger)
            for try await (evaluated, matching, totals, samples) in rows.decode((Int64, Int64, String, String).self) {
                preview.evaluated = Int(evaluated)
                preview.matching = Int(matching)
                for total in try JSONColumn.decode([ActionTotal].self, totals) {
                    update(&preview, action: total.action, policy: rule.onUnmatch) {
                        $0.count = total.pairs
                        $0.users = total.users
                    }
                }
                for sample in try JSONColumn.decode([ActionSample].self, samples) {
                    update(&preview, action: sample.action, policy: rule.onUnmatch) {
                        $0.sample.append(RulePreview.Pair(userId: sample.userId, courseId: sample.courseId))
                    }
                }
            }
            return preview
        }
    }

    private func update(_ preview: inout RulePreview, action: String, policy: OnUnmatch, _ change: (inout RulePreview.Bucket) -> Void) {
        switch (MatchAction(rawValue: action), policy) {
        case (.enroll?, _): change(&preview.wouldEnroll)
        case (.ignore?, _): change(&preview.wouldIgnore)
        case (.release?, _): change(&preview.wouldRelease)
        case (.unmatch?, .keep): change(&preview.wouldKeep)
        case (.unmatch?, .suspend): change(&preview.wouldSuspend)
        case (.unmatch?, _): change(&preview.wouldWithdraw)
        case (nil, _): break
        }
    }

    private struct ActionTotal: Decodable {
        package var action: String
        package var pairs: Int
        package var users: Int
    }

    private struct ActionSample: Decodable {
        package var action: String
        package var userId: String
        package var courseId: String
    }

    /// Runs `body` on a pooled connection once the schema is migrated (requests can arrive while
    /// migrations still run).
    private func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await database.ready()
        return try await database.client.withConnection { connection in try await body(connection) }
    }

    /// Runs `body` in a transaction once the schema is migrated.
    private func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await database.ready()
        return try await database.transaction { connection in try await body(connection) }
    }

    /// Runs `body`, turning domain refusals into the problems they answer with.
    private static func refusalsAsProblems<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as RulesError {
            throw refusal.problem
        }
    }

    /// A (name, id) list position from a cursor.
    private static func position(_ cursor: Cursor?) throws(Problem) -> (name: String, id: UUID)? {
        guard let cursor else { return nil }
        guard cursor.values.count == 2, let id = UUID(uuidString: cursor.values[1]) else {
            throw Problem.badRequest(
                "Invalid paging parameters.", errors: [FieldError(field: "cursor", message: "is not a cursor returned by this endpoint")])
        }
        return (cursor.values[0], id)
    }
}
