CREATE TABLE "connector_oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"connector" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"code_verifier" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "connector_connections" DROP CONSTRAINT "connector_connections_status_check";--> statement-breakpoint
ALTER TABLE "connector_connections" ALTER COLUMN "status" SET DEFAULT 'syncing';--> statement-breakpoint
ALTER TABLE "connector_connections" ADD COLUMN "wrapped_key" text;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD COLUMN "key_version" integer;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD COLUMN "imported_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "connector_oauth_states" ADD CONSTRAINT "connector_oauth_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_oauth_states" ADD CONSTRAINT "connector_oauth_states_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connector_oauth_states_expires_idx" ON "connector_oauth_states" USING btree ("expires_at");--> statement-breakpoint
-- No code wrote connections before this migration; a row a deployment made by hand with the old
-- status `revoked` becomes `paused` (the new set has no `revoked`: a revoked connection is deleted).
UPDATE "connector_connections" SET "status" = 'paused' WHERE "status" NOT IN ('active', 'syncing', 'needs_reauth', 'paused', 'error');--> statement-breakpoint
ALTER TABLE "connector_connections" ADD CONSTRAINT "connector_connections_status_check" CHECK (status in ('active', 'syncing', 'needs_reauth', 'paused', 'error'));