-- The audit log's per-tenant hash chain, kept by the database itself, and the insert-only role the
-- Workers use. Generated ALTERs (drizzle-kit, from schema.ts) plus hand-written functions, trigger,
-- backfill and grants; docs/storage.md ("audit_log") explains the design.
--
-- Why a trigger: every writer (API Worker, ingest Durable Object, CLI, a future plugin) inserts into
-- audit_log; a chain computed by each caller could be skipped or raced by any one of them. A BEFORE
-- INSERT trigger makes chaining part of the insert. It locks the tenant's audit_chain_heads row, so a
-- tenant's entries chain one after another in lock (= commit) order; `seq` records that order because
-- ids are drawn from the sequence before the lock is taken and so need not follow it.
--
-- Canonical form of an entry (version 1), hashed as hex(SHA-256(prev_hash || "\n" || canonical)):
--   "dfda-audit-v1" then, for each field in this order, "|~" when NULL, else "|" <UTF-8 byte length> ":" <text>
--   tenant_id, seq, id, occurred_at (UTC, microseconds: 2026-01-02T03:04:05.123456Z), actor_user_id,
--   actor_client_id, subject_user_id, action, outcome, resource_type, resource_id, ip, request_id,
--   details (jsonb's own text form: keys sorted, one space after ':' and ',').
-- The length prefix keeps field boundaries unambiguous whatever the text holds, and "~" (NULL) differs
-- from "0:" (empty string). packages/db/src/repositories/audit.ts recomputes the same form in
-- TypeScript for GET /v1/admin/audit/verify, independently of these functions.
--
-- Every function body names its objects schema-qualified and runs with search_path = pg_catalog,
-- pg_temp: the trigger function is SECURITY DEFINER and must not pick up objects a caller created
-- (PostgreSQL docs, "Writing SECURITY DEFINER Functions Safely").
ALTER TABLE "audit_chain_heads" ADD COLUMN "last_seq" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
CREATE FUNCTION public.audit_canonical_field(v text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN v IS NULL THEN '|~' ELSE '|' || octet_length(convert_to(v, 'UTF8'))::text || ':' || v END
$$;--> statement-breakpoint
CREATE FUNCTION public.audit_entry_canonical(e public.audit_log) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT 'dfda-audit-v1'
    || public.audit_canonical_field(e.tenant_id::text)
    || public.audit_canonical_field(e.seq::text)
    || public.audit_canonical_field(e.id::text)
    || public.audit_canonical_field(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || public.audit_canonical_field(e.actor_user_id::text)
    || public.audit_canonical_field(e.actor_client_id)
    || public.audit_canonical_field(e.subject_user_id::text)
    || public.audit_canonical_field(e.action)
    || public.audit_canonical_field(e.outcome)
    || public.audit_canonical_field(e.resource_type)
    || public.audit_canonical_field(e.resource_id)
    || public.audit_canonical_field(e.ip)
    || public.audit_canonical_field(e.request_id)
    || public.audit_canonical_field(e.details::text)
$$;--> statement-breakpoint
CREATE FUNCTION public.audit_entry_hash(e public.audit_log) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT encode(sha256(convert_to(e.prev_hash || E'\n' || public.audit_entry_canonical(e), 'UTF8')), 'hex')
$$;--> statement-breakpoint
-- Existing entries (written before this migration) are chained in id order, per tenant. The ALTER
-- TABLE above holds an ACCESS EXCLUSIVE lock on audit_log until this migration commits, so no entry
-- is written meanwhile; Workers' inserts wait and then pass through the trigger.
DO $$
DECLARE
  e public.audit_log;
  chain_tenant uuid;
  prev text;
  n bigint := 0;
BEGIN
  FOR e IN SELECT * FROM public.audit_log ORDER BY tenant_id, id LOOP
    IF chain_tenant IS DISTINCT FROM e.tenant_id THEN
      chain_tenant := e.tenant_id;
      prev := repeat('0', 64);
      n := 0;
    END IF;
    n := n + 1;
    e.seq := n;
    e.prev_hash := prev;
    e.hash := public.audit_entry_hash(e);
    UPDATE public.audit_log SET seq = e.seq, prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id;
    prev := e.hash;
  END LOOP;
  INSERT INTO public.audit_chain_heads (tenant_id, last_id, last_seq, last_hash)
  SELECT DISTINCT ON (tenant_id) tenant_id, id, seq, hash FROM public.audit_log ORDER BY tenant_id, seq DESC
  ON CONFLICT (tenant_id) DO UPDATE
    SET last_id = EXCLUDED.last_id, last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash, updated_at = now();
END
$$;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_tenant_seq_key" ON "audit_log" USING btree ("tenant_id","seq");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_chained_check" CHECK ("audit_log"."seq" is not null and "audit_log"."prev_hash" is not null and "audit_log"."hash" is not null);--> statement-breakpoint
-- The chain trigger. SECURITY DEFINER: it runs as the migration's role (the tables' owner), so the
-- Workers' role needs no write privilege on audit_chain_heads, and whatever an insert supplies for
-- seq, prev_hash and hash is overwritten.
--
-- The head row is read FOR UPDATE and held until the inserting transaction ends: a second insert for
-- the same tenant waits, so the chain cannot fork, and a rolled-back insert takes its head update with
-- it. The tenant's first entry creates the head: INSERT … ON CONFLICT DO NOTHING waits for a
-- concurrent first insert to commit (or roll back), and the SELECT after it, a new statement with a
-- new snapshot under READ COMMITTED, then sees and locks the winner's row. (Under REPEATABLE READ or
-- SERIALIZABLE that race is a serialization failure, which the caller retries as for any conflict.)
CREATE FUNCTION public.audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  IF NEW.tenant_id IS NULL THEN
    RAISE EXCEPTION 'audit_log.tenant_id must not be null' USING ERRCODE = 'not_null_violation';
  END IF;
  SELECT h.last_seq, h.last_hash INTO head_seq, head_hash
    FROM public.audit_chain_heads h WHERE h.tenant_id = NEW.tenant_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO public.audit_chain_heads (tenant_id, last_id, last_seq, last_hash)
      VALUES (NEW.tenant_id, 0, 0, repeat('0', 64))
      ON CONFLICT (tenant_id) DO NOTHING;
    SELECT h.last_seq, h.last_hash INTO STRICT head_seq, head_hash
      FROM public.audit_chain_heads h WHERE h.tenant_id = NEW.tenant_id FOR UPDATE;
  END IF;
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.hash := public.audit_entry_hash(NEW);
  UPDATE public.audit_chain_heads
    SET last_id = NEW.id, last_seq = NEW.seq, last_hash = NEW.hash, updated_at = now()
    WHERE tenant_id = NEW.tenant_id;
  RETURN NEW;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.audit_log_chain() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON public.audit_log
  FOR EACH ROW EXECUTE FUNCTION public.audit_log_chain();--> statement-breakpoint
-- The Workers' role. Production's Hyperdrive logs in as a role that is a member of dfda_app (README,
-- "Deploying"); migrations and the seed keep running as the owner. Roles belong to the whole server,
-- not to one database: where another database's migration creates it at the same moment, the
-- duplicate is ignored. Where the migration's role may not create roles, this is a notice and the
-- operator creates dfda_app and runs `SELECT dfda_app_grants();` (docs/storage.md).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'dfda_app') THEN
    BEGIN
      CREATE ROLE dfda_app NOLOGIN;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN
        NULL;
      WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot create role dfda_app (%); create it and run SELECT dfda_app_grants()', SQLERRM;
    END;
  END IF;
END
$$;--> statement-breakpoint
-- What dfda_app may do, in one idempotent function so an operator (or a later migration) can apply it
-- again: read and write every table, except that the audit trail is append-only — audit_log and
-- audit_checkpoints take SELECT and INSERT only (no UPDATE, DELETE or TRUNCATE), and audit_chain_heads
-- is read-only (verify and the checkpoint cron read it; only the trigger writes it). Nor may it delete
-- tenants: that would cascade to the tenant's audit rows (foreign-key actions run as the table owner),
-- and no Worker deletes a tenant (operators do, as the owner). Default
-- privileges give tables and sequences created later by the same owner the same table-wide grants; a
-- later append-only table must revoke, as below, and call this function again.
CREATE FUNCTION public.dfda_app_grants() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'dfda_app') THEN
    RAISE NOTICE 'role dfda_app does not exist; no privileges granted';
    RETURN;
  END IF;
  GRANT USAGE ON SCHEMA public TO dfda_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dfda_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dfda_app;
  REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.audit_log FROM dfda_app;
  REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.audit_checkpoints FROM dfda_app;
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.audit_chain_heads FROM dfda_app;
  REVOKE DELETE, TRUNCATE ON public.tenants FROM dfda_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dfda_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO dfda_app;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.dfda_app_grants() FROM PUBLIC;--> statement-breakpoint
SELECT public.dfda_app_grants();
