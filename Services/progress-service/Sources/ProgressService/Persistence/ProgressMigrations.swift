import ServicePlatform

/// The `progress` schema. Versions below 100 belong to the platform (outbox, inbox, idempotency keys).
///
/// - `course_policies`: what completes each course (required modules, passing score), from `lms.courses.v1`.
/// - `enrollment_progress`: one row per enrollment (an enrollment is one cycle of one learner in one
///   course) with the enrollment facts from `lms.enrollments.v1`, the activity folded into it and the
///   derived percent, status, completion and overdue flags. Instructor enrollments are kept too,
///   for access checks; they never accumulate progress.
/// - `statements`: every learning statement once (`(tenant_id, statement_id)` is the idempotency
///   key), attributed to an enrollment or, while none fits, kept unattributed (`enrollment_id IS NULL`).
package enum ProgressMigrations {
    package static let all: [Migration] = [
        Migration(
            version: 100,
            name: "progress: course policies, enrollment progress, statements",
            statements: [
                """
                CREATE TABLE course_policies (
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    modules text[] NOT NULL,
                    passing_score double precision,
                    version bigint NOT NULL,
                    PRIMARY KEY (tenant_id, course_id)
                )
                """,
                """
                CREATE TABLE enrollment_progress (
                    enrollment_id uuid PRIMARY KEY,
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    course_id text NOT NULL,
                    cycle integer NOT NULL,
                    role text NOT NULL,
                    enrollment_status text NOT NULL,
                    enrollment_version bigint NOT NULL,
                    enrolled_at timestamptz NOT NULL,
                    due_at timestamptz,
                    started_modules jsonb NOT NULL DEFAULT '[]',
                    completed_modules jsonb NOT NULL DEFAULT '[]',
                    max_progress double precision NOT NULL DEFAULT 0,
                    best_score double precision,
                    failed boolean NOT NULL DEFAULT false,
                    time_spent_seconds bigint NOT NULL DEFAULT 0,
                    statement_count integer NOT NULL DEFAULT 0,
                    last_activity_at timestamptz,
                    percent double precision NOT NULL DEFAULT 0,
                    status text NOT NULL DEFAULT 'not_started',
                    completed_at timestamptz,
                    completed_late boolean,
                    overdue boolean NOT NULL DEFAULT false,
                    overdue_notified_due_at timestamptz,
                    version bigint NOT NULL DEFAULT 0,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX enrollment_progress_user ON enrollment_progress (tenant_id, user_id, course_id)",
                "CREATE INDEX enrollment_progress_course ON enrollment_progress (tenant_id, course_id, status, enrollment_id)",
                """
                CREATE INDEX enrollment_progress_due ON enrollment_progress (due_at)
                WHERE completed_at IS NULL AND NOT overdue AND due_at IS NOT NULL AND role = 'learner'
                """,
                """
                CREATE TABLE statements (
                    tenant_id text NOT NULL,
                    statement_id uuid NOT NULL,
                    user_id text NOT NULL,
                    course_id text NOT NULL,
                    module_id text NOT NULL,
                    verb text NOT NULL,
                    progress double precision,
                    score double precision,
                    duration_seconds integer,
                    occurred_at timestamptz NOT NULL,
                    received_at timestamptz NOT NULL,
                    enrollment_id uuid,
                    PRIMARY KEY (tenant_id, statement_id)
                )
                """,
                "CREATE INDEX statements_enrollment ON statements (enrollment_id) WHERE enrollment_id IS NOT NULL",
                "CREATE INDEX statements_unattributed ON statements (tenant_id, user_id, course_id) WHERE enrollment_id IS NULL",
            ]
        )
    ]
}
