import ServicePlatform

/// The `rules` schema: the user projection, segments and their memberships, rules and their
/// matches, exclusions from manual withdrawals, and the jobs that evaluate many users at once.
package enum RulesMigrations {
    package static let all: [Migration] = [
        Migration(
            version: 100,
            name: "rules: user projection",
            statements: [
                // `raw` holds the profile by field path; the v_* columns hold the typed readings
                // the SQL translation of criteria compares (see Segments.SubjectValues). Erased
                // users keep a tombstone (status and version only) so stale events stay ignored.
                """
                CREATE TABLE users (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    version bigint NOT NULL,
                    status text NOT NULL CHECK (status IN ('active', 'deactivated', 'erased')),
                    raw jsonb NOT NULL DEFAULT '{}',
                    v_text jsonb NOT NULL DEFAULT '{}',
                    v_folded jsonb NOT NULL DEFAULT '{}',
                    v_number jsonb NOT NULL DEFAULT '{}',
                    v_bool jsonb NOT NULL DEFAULT '{}',
                    v_day jsonb NOT NULL DEFAULT '{}',
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (tenant_id, user_id)
                )
                """
            ]
        ),
        Migration(
            version: 101,
            name: "rules: segments and memberships",
            statements: [
                """
                CREATE TABLE segments (
                    tenant_id text NOT NULL,
                    segment_id uuid NOT NULL,
                    name text NOT NULL,
                    description text,
                    criteria jsonb NOT NULL,
                    time_relative boolean NOT NULL,
                    version bigint NOT NULL,
                    swept_day bigint,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, segment_id)
                )
                """,
                "CREATE UNIQUE INDEX segments_name ON segments (tenant_id, lower(name))",
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
                "CREATE INDEX segment_memberships_user ON segment_memberships (tenant_id, user_id)",
            ]
        ),
        Migration(
            version: 102,
            name: "rules: rules, matches and exclusions",
            statements: [
                """
                CREATE TABLE rules (
                    tenant_id text NOT NULL,
                    rule_id uuid NOT NULL,
                    name text NOT NULL,
                    description text,
                    segment_id uuid,
                    criteria jsonb,
                    course_ids text[] NOT NULL,
                    status text NOT NULL CHECK (status IN ('draft', 'active', 'paused')),
                    backfill boolean NOT NULL,
                    on_unmatch text NOT NULL CHECK (on_unmatch IN ('keep', 'suspend', 'withdrawIfNotStarted', 'withdraw')),
                    due_in_days int,
                    effective_from timestamptz,
                    effective_to timestamptz,
                    version bigint NOT NULL,
                    in_effect boolean NOT NULL DEFAULT false,
                    swept_day bigint,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, rule_id),
                    FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, segment_id),
                    CHECK ((segment_id IS NULL) <> (criteria IS NULL))
                )
                """,
                "CREATE INDEX rules_active ON rules (tenant_id) WHERE status = 'active'",
                "CREATE INDEX rules_segment ON rules (tenant_id, segment_id) WHERE segment_id IS NOT NULL",
                // One row per (rule, user, course) the rule has decided about: `enrolled` (an enroll
                // command went out), `ignored` (matched when the rule took effect without backfill),
                // `unmatched` (no longer matches). `seq` counts the commands, keeping keys unique.
                """
                CREATE TABLE rule_matches (
                    tenant_id text NOT NULL,
                    rule_id uuid NOT NULL,
                    user_id text NOT NULL,
                    course_id text NOT NULL,
                    state text NOT NULL CHECK (state IN ('enrolled', 'ignored', 'unmatched')),
                    rule_version bigint NOT NULL,
                    seq int NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, rule_id, user_id, course_id)
                )
                """,
                "CREATE INDEX rule_matches_user ON rule_matches (tenant_id, user_id)",
                """
                CREATE TABLE exclusions (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    course_id text NOT NULL,
                    rule_id uuid,
                    enrollment_id uuid NOT NULL,
                    actor text NOT NULL,
                    reason text,
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, course_id)
                )
                """,
            ]
        ),
        Migration(
            version: 103,
            name: "rules: jobs",
            statements: [
                """
                CREATE TABLE jobs (
                    job_id uuid PRIMARY KEY,
                    seq bigserial NOT NULL UNIQUE,
                    tenant_id text NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('rule', 'segment')),
                    target_id uuid NOT NULL,
                    target_version bigint NOT NULL,
                    reason text NOT NULL,
                    enroll_new boolean NOT NULL,
                    enroll_ignored boolean NOT NULL,
                    status text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'superseded')),
                    cursor text,
                    total int NOT NULL,
                    processed int NOT NULL DEFAULT 0,
                    counts jsonb NOT NULL DEFAULT '{}',
                    created_at timestamptz NOT NULL,
                    started_at timestamptz,
                    updated_at timestamptz NOT NULL,
                    finished_at timestamptz
                )
                """,
                "CREATE INDEX jobs_open ON jobs (seq) WHERE status IN ('pending', 'running')",
                "CREATE INDEX jobs_target ON jobs (tenant_id, target_id, seq DESC)",
            ]
        ),
        Migration(
            version: 104,
            name:
                "rules: mandatory (the enrollments a rule makes are mandatory unless it says otherwise); a learner's own withdrawal is no exclusion",
            statements: [
                "ALTER TABLE rules ADD COLUMN mandatory boolean NOT NULL DEFAULT true",
                "DELETE FROM exclusions WHERE actor = user_id",
            ]
        ),
    ]
}
