CREATE TABLE "bulk_exports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"requested_by" uuid,
	"study_id" uuid,
	"request" text NOT NULL,
	"types" text[] NOT NULL,
	"since" timestamp with time zone,
	"participants" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"output" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"wrapped_key" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"transaction_time" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "bulk_exports_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "bulk_exports_status_check" CHECK (status in ('queued', 'processing', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "oauth_client_assertions" (
	"tenant_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oauth_client_assertions_pkey" PRIMARY KEY("client_id","jti")
);
--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "jwks" jsonb;--> statement-breakpoint
ALTER TABLE "bulk_exports" ADD CONSTRAINT "bulk_exports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_client_assertions" ADD CONSTRAINT "oauth_client_assertions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_exports_client_idx" ON "bulk_exports" USING btree ("tenant_id","client_id","created_at");--> statement-breakpoint
CREATE INDEX "oauth_client_assertions_expires_idx" ON "oauth_client_assertions" USING btree ("expires_at");