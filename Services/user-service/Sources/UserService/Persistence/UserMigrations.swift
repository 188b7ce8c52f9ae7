import ServicePlatform

/// The `users` schema: the directory and its change history (versions from 100; the platform's
/// outbox, inbox and idempotency tables come first).
package enum UserMigrations {
    package static let all: [Migration] = [
        Migration(
            version: 100, name: "users: directory and change history",
            statements: [
                """
                CREATE TABLE users (
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    email text,
                    given_name text,
                    family_name text,
                    job_role text,
                    department text,
                    location text,
                    hire_date date,
                    manager_id text,
                    attributes jsonb NOT NULL DEFAULT '{}',
                    status text NOT NULL CHECK (status IN ('active', 'deactivated', 'erased')),
                    version bigint NOT NULL CHECK (version > 0),
                    source_version bigint,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (tenant_id, user_id),
                    CONSTRAINT users_profile_present CHECK (
                        status = 'erased' OR (email IS NOT NULL AND given_name IS NOT NULL AND family_name IS NOT NULL)),
                    CONSTRAINT users_erased_is_empty CHECK (
                        status <> 'erased' OR (email IS NULL AND given_name IS NULL AND family_name IS NULL AND job_role IS NULL
                            AND department IS NULL AND location IS NULL AND hire_date IS NULL AND manager_id IS NULL
                            AND attributes = '{}'))
                )
                """,
                "CREATE INDEX users_by_department ON users (tenant_id, department, user_id)",
                "CREATE INDEX users_by_location ON users (tenant_id, location, user_id)",
                "CREATE INDEX users_by_job_role ON users (tenant_id, job_role, user_id)",
                "CREATE INDEX users_by_status ON users (tenant_id, status, user_id)",
                """
                CREATE TABLE user_history (
                    id bigserial PRIMARY KEY,
                    tenant_id text NOT NULL,
                    user_id text NOT NULL,
                    version bigint NOT NULL,
                    action text NOT NULL CHECK (action IN ('created', 'updated', 'deactivated', 'reactivated', 'erased')),
                    changed_fields text[] NOT NULL,
                    changes jsonb,
                    reason text,
                    actor text NOT NULL,
                    origin text NOT NULL CHECK (origin IN ('event', 'api', 'import')),
                    correlation_id text,
                    occurred_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX user_history_by_user ON user_history (tenant_id, user_id, version)",
            ]
        )
    ]
}
