CREATE TABLE "oauth_device_codes" (
	"device_code_hash" text PRIMARY KEY NOT NULL,
	"user_code" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"scopes" text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"user_id" uuid,
	"auth_time" timestamp with time zone,
	"amr" text[],
	"interval_seconds" integer DEFAULT 5 NOT NULL,
	"last_polled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oauth_device_codes_status_check" CHECK (status in ('pending', 'approved', 'denied', 'consumed'))
);
--> statement-breakpoint
CREATE TABLE "pending_observations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"display" text,
	"observation" jsonb NOT NULL,
	"source_id" uuid NOT NULL,
	"file_id" uuid,
	"job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"client_id" text,
	"length" bigint NOT NULL,
	"offset" bigint DEFAULT 0 NOT NULL,
	"file_name" text,
	"content_type" text,
	"metadata" jsonb,
	"r2_key" text NOT NULL,
	"r2_upload_id" text,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"file_id" uuid,
	"job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uploads_status_check" CHECK (status in ('open', 'completed', 'aborted', 'expired')),
	CONSTRAINT "uploads_offset_check" CHECK ("uploads"."offset" >= 0 and "uploads"."offset" <= "uploads"."length")
);
--> statement-breakpoint
ALTER TABLE "ingest_staged_rows" ADD COLUMN "comparator" text;--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "comparator" text;--> statement-breakpoint
ALTER TABLE "oauth_device_codes" ADD CONSTRAINT "oauth_device_codes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_device_codes" ADD CONSTRAINT "oauth_device_codes_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_observations" ADD CONSTRAINT "pending_observations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_observations" ADD CONSTRAINT "pending_observations_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_device_codes_user_code_key" ON "oauth_device_codes" USING btree ("tenant_id","user_code");--> statement-breakpoint
CREATE INDEX "pending_observations_code_idx" ON "pending_observations" USING btree ("tenant_id","system","code");--> statement-breakpoint
CREATE INDEX "pending_observations_owner_idx" ON "pending_observations" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "pending_observations_file_idx" ON "pending_observations" USING btree ("file_id") WHERE "pending_observations"."file_id" is not null;--> statement-breakpoint
CREATE INDEX "uploads_owner_idx" ON "uploads" USING btree ("tenant_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "uploads_expiry_idx" ON "uploads" USING btree ("expires_at") WHERE "uploads"."status" = 'open';--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_comparator_check" CHECK (comparator is null or (value is not null and comparator in ('<', '<=', '>=', '>')));