import ServicePlatform

/// The `reports` schema. Versions below 100 belong to the platform (outbox, inbox, idempotency keys).
///
/// The read model is a fact table (`enrollment_facts`, one row per enrollment, learner or
/// instructor, every cycle) plus dimensions (`report_users`, `report_courses`). Every report is a
/// `GROUP BY` over the facts of the keys asked for, so no event ever rescans more than the
/// courses it touched. `dirty_reports` holds the report keys changed since the last publication.
package enum ReportMigrations {
    package static let all: [Migration] = [
        Migration(
            version: 100,
            name: "reports: facts, dimensions, dirty keys, state",
            statements: [
                """
                CREATE TABLE enrollment_facts (
                    tenant_id text NOT NULL,
                    enrollment_id uuid NOT NULL,
                    course_id text NOT NULL,
                    user_id text NOT NULL,
                    cycle integer NOT NULL,
                    role text,
                    status text,
                    source text,
                    enrolled_at timestamptz,
                    due_at timestamptz,
                    completed_at timestamptz,
                    percent double precision NOT NULL DEFAULT 0,
                    score double precision,
                    progress_overdue boolean NOT NULL DEFAULT false,
                    progress_completed_at timestamptz,
                    enrollment_version bigint NOT NULL DEFAULT 0,
                    progress_version bigint NOT NULL DEFAULT 0,
                    PRIMARY KEY (tenant_id, enrollment_id)
                )
                """,
                "CREATE INDEX enrollment_facts_by_course ON enrollment_facts (tenant_id, course_id, user_id, cycle)",
                "CREATE INDEX enrollment_facts_by_user ON enrollment_facts (tenant_id, user_id, course_id, cycle)",
                "CREATE INDEX enrollment_facts_due ON enrollment_facts (due_at) WHERE status = 'active'",
                """
                CREATE TABLE report_users (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    department text,
                    location text,
                    job_role text,
                    status text NOT NULL,
                    version bigint NOT NULL DEFAULT 0,
                    lifecycle_version bigint NOT NULL DEFAULT 0,
                    PRIMARY KEY (tenant_id, user_id)
                )
                """,
                """
                CREATE TABLE report_courses (
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    title text NOT NULL,
                    version bigint NOT NULL,
                    PRIMARY KEY (tenant_id, course_id)
                )
                """,
                """
                CREATE TABLE dirty_reports (
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    dimension text NOT NULL,
                    value text NOT NULL,
                    PRIMARY KEY (tenant_id, course_id, dimension, value)
                )
                """,
                """
                CREATE TABLE report_state (
                    id boolean PRIMARY KEY DEFAULT true CHECK (id),
                    generation integer NOT NULL,
                    swept_until timestamptz,
                    full_publish_at timestamptz
                )
                """,
                "INSERT INTO report_state (generation) VALUES (1)",
            ]
        ),
        Migration(
            version: 101,
            name: "reports: per-tenant rebuilds from the owners' resync",
            statements: [
                // Rebuilds no longer replay topics into an emptied model (the generation is gone).
                "ALTER TABLE report_state DROP COLUMN generation",
                // When a row was last written or re-announced; a rebuild removes the tenant's rows
                // not confirmed since it was requested. Existing rows count as confirmed now.
                "ALTER TABLE enrollment_facts ADD COLUMN confirmed_at timestamptz NOT NULL DEFAULT now()",
                "ALTER TABLE report_users ADD COLUMN confirmed_at timestamptz NOT NULL DEFAULT now()",
                "ALTER TABLE report_courses ADD COLUMN confirmed_at timestamptz NOT NULL DEFAULT now()",
                """
                CREATE TABLE report_rebuilds (
                    rebuild_id uuid PRIMARY KEY,
                    tenant_id text NOT NULL,
                    requested_by text NOT NULL,
                    requested_at timestamptz NOT NULL,
                    status text NOT NULL CHECK (status IN ('running', 'completed', 'abandoned')),
                    finished_at timestamptz
                )
                """,
                "CREATE UNIQUE INDEX report_rebuilds_running ON report_rebuilds (tenant_id) WHERE status = 'running'",
                "CREATE INDEX report_rebuilds_by_tenant ON report_rebuilds (tenant_id, requested_at)",
                """
                CREATE TABLE report_rebuild_sources (
                    rebuild_id uuid NOT NULL REFERENCES report_rebuilds ON DELETE CASCADE,
                    source text NOT NULL,
                    pages integer NOT NULL,
                    items integer NOT NULL,
                    PRIMARY KEY (rebuild_id, source)
                )
                """,
                """
                CREATE TABLE report_rebuild_pages (
                    rebuild_id uuid NOT NULL REFERENCES report_rebuilds ON DELETE CASCADE,
                    source text NOT NULL,
                    page integer NOT NULL,
                    items integer NOT NULL,
                    PRIMARY KEY (rebuild_id, source, page)
                )
                """,
                // Learners erased while a rebuild of their tenant runs: an owner may have read them
                // before the erasure, so their re-announced items are dropped. Kept only until the
                // tenant's rebuild completes.
                """
                CREATE TABLE report_rebuild_erasures (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)
                )
                """,
            ]
        ),
        // Erased learners, by their original id: their facts and dimension row carry a pseudonym, and
        // an older event of theirs delivered again (consumers of the system's own topics recognise
        // copies by version, not by event id) must not create a row under the original id.
        Migration(
            version: 102,
            name: "reports: erased learners remembered",
            statements: [
                """
                CREATE TABLE report_erased_users (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)
                )
                """
            ]
        ),
        // The publisher reads dirty keys without taking them, and clears a key only if its mark is
        // still the one it read: consumers marking keys never wait for a tick's computation.
        Migration(
            version: 103,
            name: "reports: dirty keys counted, not taken",
            statements: ["ALTER TABLE dirty_reports ADD COLUMN mark bigint NOT NULL DEFAULT 0"]
        ),
    ]
}
