CREATE TABLE "column_mappings" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"signature" text NOT NULL,
	"headers" jsonb NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "column_mappings_pkey" PRIMARY KEY("tenant_id","user_id","signature")
);
--> statement-breakpoint
CREATE TABLE "ingest_staged_rows" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"tenant_id" uuid NOT NULL,
	"variable_id" uuid NOT NULL,
	"variable_version" integer NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone,
	"value" double precision,
	"value_text" text,
	"value_code" text,
	"value_boolean" boolean,
	"unit" text,
	"original_value" double precision,
	"original_unit" text,
	"source_id" uuid NOT NULL,
	"is_valid" boolean NOT NULL,
	"is_outlier" boolean NOT NULL,
	"note" text,
	"metadata" jsonb,
	CONSTRAINT "ingest_staged_rows_pkey" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
CREATE TABLE "user_keys" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"wrapped_key" text NOT NULL,
	"master_key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	CONSTRAINT "user_keys_pkey" PRIMARY KEY("tenant_id","user_id","version")
);
--> statement-breakpoint
ALTER TABLE "ingest_jobs" DROP CONSTRAINT "ingest_jobs_status_check";--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "size_bytes" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "wrapped_key" text;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "mapper_id" text;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "mapper_version" text;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "mapping" jsonb;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "column_mappings" ADD CONSTRAINT "column_mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "column_mappings" ADD CONSTRAINT "column_mappings_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_staged_rows" ADD CONSTRAINT "ingest_staged_rows_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_keys" ADD CONSTRAINT "user_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_keys" ADD CONSTRAINT "user_keys_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "files_user_created_idx" ON "files" USING btree ("tenant_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "observations_file_idx" ON "observations" USING btree ("tenant_id","user_id","file_id") WHERE "observations"."file_id" is not null;--> statement-breakpoint
ALTER TABLE "ingest_jobs" ADD CONSTRAINT "ingest_jobs_status_check" CHECK (status in ('queued', 'processing', 'completed', 'completed_with_issues', 'failed', 'unsupported_format'));