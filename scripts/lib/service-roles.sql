-- One login role per service, owner of its own schema and of nothing else (finding L9): a service
-- connects as its role and can neither read another service's schema nor create schemas.
-- Idempotent; run by a superuser in the service database:
--   scripts/run (local stack), docker-compose.yml (postgres init), deploy/base/postgres/cluster.yaml
--   (CloudNativePG postInitApplicationSQL, which must stay equal to this file: Tests/Deploy checks it).
-- Objects an older setup created in a schema under another owner are handed to the schema's role.
DO $roles$
DECLARE
    service record;
    object record;
BEGIN
    FOR service IN
        SELECT * FROM (VALUES
            ('user_service', 'users'), ('enrollment_service', 'enrollments'), ('rules_worker', 'rules'),
            ('progress_service', 'progress'), ('report_service', 'reports')
        ) AS s (role, schema)
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service.role) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', service.role);
        END IF;
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service.schema, service.role);
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', service.schema, service.role);
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', service.schema);
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), service.role);
        FOR object IN
            SELECT c.relname AS name, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = service.schema AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                AND pg_get_userbyid(c.relowner) <> service.role
                -- a sequence that belongs to a column moves with its table
                AND NOT (c.relkind = 'S' AND EXISTS (
                    SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        LOOP
            EXECUTE format('ALTER %s %I.%I OWNER TO %I', object.kind, service.schema, object.name, service.role);
        END LOOP;
        FOR object IN
            SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = service.schema AND pg_get_userbyid(p.proowner) <> service.role
        LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO %I', object.signature, service.role);
        END LOOP;
        FOR object IN
            SELECT format('%I.%I', n.nspname, t.typname) AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = service.schema AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> service.role
        LOOP
            EXECUTE format('ALTER TYPE %s OWNER TO %I', object.name, service.role);
        END LOOP;
    END LOOP;
    -- Only the service roles (and superusers) may connect; nobody creates in `public`.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
END
$roles$;
