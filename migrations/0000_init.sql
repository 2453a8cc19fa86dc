CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_client_id" text,
	"subject_user_id" uuid,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"resource_type" text,
	"resource_id" text,
	"ip" text,
	"request_id" text,
	"details" jsonb,
	"prev_hash" text,
	"hash" text,
	CONSTRAINT "audit_log_outcome_check" CHECK ("audit_log"."outcome" in ('success', 'failure', 'denied'))
);
--> statement-breakpoint
CREATE TABLE "connector_connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"connector" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"external_user_id" text,
	"encrypted_tokens" text,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"sync_cursor" jsonb,
	"last_sync_at" timestamp with time zone,
	"next_sync_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connector_connections_user_connector_key" UNIQUE("tenant_id","user_id","connector"),
	CONSTRAINT "connector_connections_status_check" CHECK ("connector_connections"."status" in ('active', 'paused', 'error', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"grantee_type" text NOT NULL,
	"grantee_id" text NOT NULL,
	"actions" text[] NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"variable_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"data_from" timestamp with time zone,
	"data_to" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"purpose" text,
	"document_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "consents_grantee_type_check" CHECK ("consents"."grantee_type" in ('user', 'client', 'group', 'study'))
);
--> statement-breakpoint
CREATE TABLE "files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"source_id" uuid,
	"original_name" text,
	"content_type" text,
	"format" text,
	"size_bytes" integer,
	"sha256" text NOT NULL,
	"r2_key" text NOT NULL,
	"key_version" integer NOT NULL,
	"status" text DEFAULT 'stored' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "files_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "ingest_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"item_index" integer,
	"location" text,
	"code" text NOT NULL,
	"severity" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_issues_severity_check" CHECK ("ingest_issues"."severity" in ('info', 'warning', 'error'))
);
--> statement-breakpoint
CREATE TABLE "ingest_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"client_id" text,
	"source_id" uuid,
	"file_id" uuid,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"received" integer DEFAULT 0 NOT NULL,
	"stored" integer DEFAULT 0 NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	"outliers" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "ingest_jobs_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "ingest_jobs_status_check" CHECK (status in ('queued', 'processing', 'completed', 'completed_with_issues', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "oauth_clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"name" text NOT NULL,
	"logo_uri" text,
	"redirect_uris" text[] DEFAULT '{}'::text[] NOT NULL,
	"client_type" text NOT NULL,
	"secret_hash" text,
	"allowed_scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"grant_types" text[] DEFAULT '{authorization_code,refresh_token}'::text[] NOT NULL,
	"owner_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "oauth_clients_client_id_unique" UNIQUE("client_id"),
	CONSTRAINT "oauth_clients_type_check" CHECK ("oauth_clients"."client_type" in ('public', 'confidential'))
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
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
	"file_id" uuid,
	"job_id" uuid,
	"is_valid" boolean DEFAULT true NOT NULL,
	"is_outlier" boolean DEFAULT false NOT NULL,
	"note" text,
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "observations_pkey" PRIMARY KEY("tenant_id","user_id","variable_id","start_at","source_id"),
	CONSTRAINT "observations_period_check" CHECK ("observations"."end_at" is null or "observations"."end_at" >= "observations"."start_at"),
	CONSTRAINT "observations_value_check" CHECK (num_nonnulls("observations"."value", "observations"."value_text", "observations"."value_code", "observations"."value_boolean") = 1)
);
--> statement-breakpoint
CREATE TABLE "plugins" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"version" text NOT NULL,
	"service_binding" text NOT NULL,
	"manifest" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plugins_tenant_slug_key" UNIQUE("tenant_id","slug"),
	CONSTRAINT "plugins_kind_check" CHECK ("plugins"."kind" in ('mapper', 'connector', 'analysis', 'visualization'))
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roles_tenant_id_user_id_role_pk" PRIMARY KEY("tenant_id","user_id","role"),
	CONSTRAINT "roles_role_check" CHECK (role in ('data_owner', 'data_custodian', 'researcher', 'clinician_delegate', 'app_developer', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"client_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sources_tenant_slug_key" UNIQUE("tenant_id","slug"),
	CONSTRAINT "sources_kind_check" CHECK (kind in ('api', 'file', 'connector', 'plugin', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_slug_unique" UNIQUE("slug"),
	CONSTRAINT "tenants_status_check" CHECK ("tenants"."status" in ('active', 'suspended'))
);
--> statement-breakpoint
CREATE TABLE "units" (
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"property" text,
	"dimension" text,
	"is_common" boolean DEFAULT false NOT NULL,
	"is_base" boolean DEFAULT false NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_tenant_id_code_pk" PRIMARY KEY("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"email" text NOT NULL,
	"email_verified_at" timestamp with time zone,
	"password_hash" text,
	"display_name" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "users_status_check" CHECK ("users"."status" in ('active', 'disabled', 'deleted'))
);
--> statement-breakpoint
CREATE TABLE "variable_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "variable_categories_tenant_slug_key" UNIQUE("tenant_id","slug")
);
--> statement-breakpoint
CREATE TABLE "variable_codes" (
	"tenant_id" uuid NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"variable_id" uuid NOT NULL,
	"display" text,
	"is_preferred" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "variable_codes_tenant_id_system_code_pk" PRIMARY KEY("tenant_id","system","code")
);
--> statement-breakpoint
CREATE TABLE "variables" (
	"id" uuid NOT NULL,
	"version" integer NOT NULL,
	"tenant_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_to" timestamp with time zone,
	"name" text NOT NULL,
	"category_id" uuid NOT NULL,
	"value_type" text NOT NULL,
	"canonical_unit" text,
	"valid_min" double precision,
	"valid_max" double precision,
	"range_severity" text DEFAULT 'flag' NOT NULL,
	"molecular_weight" double precision,
	"is_input_factor" boolean NOT NULL,
	"is_outcome" boolean NOT NULL,
	"combination_operation" text NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"definition_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "variables_id_version_pk" PRIMARY KEY("id","version"),
	CONSTRAINT "variables_tenant_slug_version_key" UNIQUE("tenant_id","slug","version"),
	CONSTRAINT "variables_value_type_check" CHECK ("variables"."value_type" in ('numeric', 'code', 'text', 'boolean')),
	CONSTRAINT "variables_combination_check" CHECK ("variables"."combination_operation" in ('sum', 'mean', 'last', 'max', 'min')),
	CONSTRAINT "variables_range_severity_check" CHECK ("variables"."range_severity" in ('log', 'flag', 'reject')),
	CONSTRAINT "variables_range_check" CHECK ("variables"."valid_min" is null or "variables"."valid_max" is null or "variables"."valid_min" <= "variables"."valid_max"),
	CONSTRAINT "variables_validity_check" CHECK ("variables"."valid_to" is null or "variables"."valid_to" > "variables"."valid_from"),
	CONSTRAINT "variables_unit_check" CHECK (("variables"."value_type" = 'numeric') = ("variables"."canonical_unit" is not null))
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD CONSTRAINT "connector_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_connections" ADD CONSTRAINT "connector_connections_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_issues" ADD CONSTRAINT "ingest_issues_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_issues" ADD CONSTRAINT "ingest_issues_tenant_id_job_id_ingest_jobs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","job_id") REFERENCES "public"."ingest_jobs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_jobs" ADD CONSTRAINT "ingest_jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_jobs" ADD CONSTRAINT "ingest_jobs_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_jobs" ADD CONSTRAINT "ingest_jobs_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_jobs" ADD CONSTRAINT "ingest_jobs_tenant_id_file_id_files_tenant_id_id_fk" FOREIGN KEY ("tenant_id","file_id") REFERENCES "public"."files"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_tenant_id_owner_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","owner_user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_variable_id_variable_version_variables_id_version_fk" FOREIGN KEY ("variable_id","variable_version") REFERENCES "public"."variables"("id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plugins" ADD CONSTRAINT "plugins_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_categories" ADD CONSTRAINT "variable_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_codes" ADD CONSTRAINT "variable_codes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variables" ADD CONSTRAINT "variables_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variables" ADD CONSTRAINT "variables_category_id_variable_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."variable_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_tenant_time_idx" ON "audit_log" USING btree ("tenant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("tenant_id","subject_user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "connector_connections_due_idx" ON "connector_connections" USING btree ("next_sync_at");--> statement-breakpoint
CREATE INDEX "consents_owner_idx" ON "consents" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "consents_grantee_idx" ON "consents" USING btree ("tenant_id","grantee_type","grantee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "files_user_sha256_key" ON "files" USING btree ("tenant_id","user_id","sha256") WHERE "files"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "ingest_issues_job_idx" ON "ingest_issues" USING btree ("job_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "ingest_jobs_idempotency_key" ON "ingest_jobs" USING btree ("tenant_id","user_id","idempotency_key") WHERE "ingest_jobs"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "ingest_jobs_user_idx" ON "ingest_jobs" USING btree ("tenant_id","user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "observations_id_key" ON "observations" USING btree ("id","start_at");--> statement-breakpoint
CREATE INDEX "observations_user_variable_time_idx" ON "observations" USING btree ("user_id","variable_id","start_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_email_key" ON "users" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "variable_codes_variable_idx" ON "variable_codes" USING btree ("variable_id");--> statement-breakpoint
CREATE UNIQUE INDEX "variables_current_key" ON "variables" USING btree ("id") WHERE "variables"."valid_to" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "variables_tenant_slug_current_key" ON "variables" USING btree ("tenant_id","slug") WHERE "variables"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "variables_category_idx" ON "variables" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "variables_name_idx" ON "variables" USING btree ("name","id");