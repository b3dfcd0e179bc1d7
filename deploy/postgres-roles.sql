-- Two PostgreSQL roles for Mesoclinic (issue 15): the owner runs migrations and owns every
-- table; the application connects as mesoclinic_app, which may read and write clinical
-- tables but only read and append to the audit log: it cannot UPDATE, DELETE or TRUNCATE
-- it, and, not owning any table, cannot ALTER a table, DISABLE or DROP a trigger.
--
-- Once, as the postgres superuser (psql -U postgres -d mesoclinic -f deploy/postgres-roles.sql),
-- after the roles and the database exist and the owner has run `mesoclinic migrate`:
--   CREATE ROLE mesoclinic_owner LOGIN PASSWORD '...';
--   CREATE ROLE mesoclinic_app LOGIN PASSWORD '...' NOSUPERUSER NOCREATEDB NOCREATEROLE;
--   CREATE DATABASE mesoclinic OWNER mesoclinic_owner;
--   DATABASE_URL=postgres://mesoclinic_owner:...@host/mesoclinic mesoclinic migrate
-- Run it again after an upgrade's migrations (it is idempotent). tests/deploy checks it.

GRANT USAGE ON SCHEMA public TO mesoclinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mesoclinic_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mesoclinic_app;
ALTER DEFAULT PRIVILEGES FOR ROLE mesoclinic_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO mesoclinic_app;
ALTER DEFAULT PRIVILEGES FOR ROLE mesoclinic_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO mesoclinic_app;

-- The audit log: read and append only. The chain head is updated as rows are appended.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditevent FROM mesoclinic_app;
REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditchainhead FROM mesoclinic_app;
