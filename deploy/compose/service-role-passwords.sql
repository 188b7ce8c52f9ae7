-- docker-compose.yml only (development): passwords of the service roles that
-- scripts/lib/service-roles.sql creates. Never reuse these anywhere else; deploy/ takes each
-- password from a Secret (CloudNativePG managed roles).
ALTER ROLE user_service PASSWORD 'user_service-dev-only';
ALTER ROLE enrollment_service PASSWORD 'enrollment_service-dev-only';
ALTER ROLE rules_worker PASSWORD 'rules_worker-dev-only';
ALTER ROLE progress_service PASSWORD 'progress_service-dev-only';
ALTER ROLE report_service PASSWORD 'report_service-dev-only';
