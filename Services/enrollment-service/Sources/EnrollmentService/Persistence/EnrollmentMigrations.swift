import ServicePlatform

/// The `enrollments` schema. Versions below 100 belong to the platform (outbox, inbox, idempotency keys).
///
/// Locking discipline: every change to an enrollment first locks its course row
/// (`SELECT ... FOR UPDATE`, courses in `(tenant_id, course_id)` order), so seat counting,
/// waitlist promotion and the one-enrollment-per-cycle rule never race.
package enum EnrollmentMigrations {
    package static let all: [Migration] = [
        Migration(
            version: 100,
            name: "enrollments: courses, enrollments, transitions, projections, keys",
            statements: [
                """
                CREATE TABLE courses (
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    title text NOT NULL,
                    capacity integer CHECK (capacity >= 0),
                    waitlist boolean NOT NULL DEFAULT false,
                    enrollment_opens_at timestamptz,
                    enrollment_closes_at timestamptz,
                    self_enrollment_enabled boolean NOT NULL DEFAULT false,
                    required_profile_fields text[] NOT NULL DEFAULT '{}',
                    restrict_to_segment_id uuid,
                    default_due_days integer,
                    access_days integer,
                    recertify_every_days integer,
                    modules text[] NOT NULL DEFAULT '{}',
                    passing_score double precision,
                    version bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, course_id)
                )
                """,
                """
                CREATE TABLE enrollments (
                    enrollment_id uuid PRIMARY KEY,
                    seq bigserial NOT NULL,
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    user_id text NOT NULL,
                    cycle integer NOT NULL CHECK (cycle >= 1),
                    role text NOT NULL CHECK (role IN ('learner', 'instructor')),
                    status text NOT NULL
                        CHECK (status IN ('waitlisted', 'active', 'suspended', 'completed', 'withdrawn', 'expired')),
                    source text NOT NULL CHECK (source IN ('manual', 'self', 'rule', 'import', 'api')),
                    source_ref text,
                    enrolled_at timestamptz NOT NULL,
                    due_at timestamptz,
                    expires_at timestamptz,
                    completed_at timestamptz,
                    status_changed_at timestamptz NOT NULL,
                    suspension_cause text,
                    rule_id uuid,
                    rule_version bigint,
                    explanation jsonb,
                    profile_answers jsonb,
                    version bigint NOT NULL,
                    CONSTRAINT enrollments_one_per_cycle UNIQUE (tenant_id, course_id, user_id, cycle),
                    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, course_id)
                )
                """,
                "CREATE INDEX enrollments_by_course ON enrollments (tenant_id, course_id, seq)",
                "CREATE INDEX enrollments_by_course_status ON enrollments (tenant_id, course_id, status, status_changed_at, seq)",
                "CREATE INDEX enrollments_by_user ON enrollments (tenant_id, user_id, seq)",
                "CREATE INDEX enrollments_expiring ON enrollments (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL",
                "CREATE INDEX enrollments_completed ON enrollments (completed_at) WHERE status = 'completed'",
                """
                CREATE TABLE enrollment_transitions (
                    id bigserial PRIMARY KEY,
                    enrollment_id uuid NOT NULL REFERENCES enrollments (enrollment_id),
                    from_status text,
                    to_status text NOT NULL,
                    actor text NOT NULL,
                    reason text,
                    at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX enrollment_transitions_by_enrollment ON enrollment_transitions (enrollment_id, id)",
                """
                CREATE TABLE users (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    status text NOT NULL CHECK (status IN ('active', 'deactivated', 'erased')),
                    profile jsonb NOT NULL DEFAULT '{}',
                    version bigint NOT NULL DEFAULT 0,
                    lifecycle_version bigint NOT NULL DEFAULT 0,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)
                )
                """,
                """
                CREATE TABLE segment_memberships (
                    tenant_id text NOT NULL,
                    segment_id uuid NOT NULL,
                    user_id text NOT NULL,
                    member boolean NOT NULL,
                    version bigint NOT NULL,
                    changed_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, segment_id, user_id)
                )
                """,
                """
                CREATE TABLE rule_exclusions (
                    tenant_id text NOT NULL,
                    rule_id uuid NOT NULL,
                    course_id text NOT NULL,
                    user_id text NOT NULL,
                    enrollment_id uuid NOT NULL,
                    actor text NOT NULL,
                    reason text,
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, rule_id, course_id, user_id)
                )
                """,
                """
                CREATE TABLE applied_commands (
                    tenant_id text NOT NULL,
                    idempotency_key text NOT NULL,
                    event_type text NOT NULL,
                    applied_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, idempotency_key)
                )
                """,
                """
                CREATE TABLE enrollment_keys (
                    key_id uuid PRIMARY KEY,
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    label text,
                    key_hash text NOT NULL,
                    key_hint text NOT NULL,
                    max_uses integer CHECK (max_uses >= 1),
                    uses integer NOT NULL DEFAULT 0,
                    expires_at timestamptz,
                    revoked_at timestamptz,
                    created_by text NOT NULL,
                    created_at timestamptz NOT NULL,
                    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, course_id)
                )
                """,
                "CREATE INDEX enrollment_keys_by_course ON enrollment_keys (tenant_id, course_id, created_at)",
                """
                CREATE TABLE enrollment_links (
                    link_id uuid PRIMARY KEY,
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    token_hash text NOT NULL UNIQUE,
                    max_uses integer CHECK (max_uses >= 1),
                    uses integer NOT NULL DEFAULT 0,
                    expires_at timestamptz,
                    created_by text NOT NULL,
                    created_at timestamptz NOT NULL,
                    FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, course_id)
                )
                """,
                """
                CREATE TABLE self_enrollment_attempts (
                    id bigserial PRIMARY KEY,
                    tenant_id text NOT NULL,
                    course_id text NOT NULL,
                    user_id text NOT NULL,
                    key_id uuid,
                    link_id uuid,
                    outcome text NOT NULL,
                    at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX self_enrollment_attempts_by_learner ON self_enrollment_attempts (tenant_id, course_id, user_id, at)",
            ]
        ),
        Migration(
            version: 101,
            name: "enrollments: when progress-service first saw the learner working",
            statements: [
                // Set from lms.progress.v1; a rule's `withdrawIfNotStarted` spares enrollments that have it.
                "ALTER TABLE enrollments ADD COLUMN progress_started_at timestamptz"
            ]
        ),
        Migration(
            version: 102,
            name: "self-enrollment: uses of keys without a limit counted from the attempts",
            statements: [
                // Such keys no longer update their `uses` row (every self-enrollment queued on it).
                """
                CREATE INDEX self_enrollment_attempts_key_uses ON self_enrollment_attempts (key_id)
                WHERE key_id IS NOT NULL AND outcome IN ('enrolled', 'waitlisted')
                """
            ]
        ),
        Migration(
            version: 104,
            name:
                "enrollments: mandatory (the learner may not withdraw itself); rule enrollments become mandatory; a learner's own withdrawal is no rule exclusion",
            statements: [
                "ALTER TABLE enrollments ADD COLUMN mandatory boolean NOT NULL DEFAULT false",
                "UPDATE enrollments SET mandatory = true WHERE source = 'rule'",
                "DELETE FROM rule_exclusions WHERE actor = user_id",
            ]
        ),
    ]
}
