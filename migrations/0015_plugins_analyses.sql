CREATE TABLE "analyses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"requested_by_user" uuid,
	"requested_by_client" text,
	"plugin_id" text NOT NULL,
	"plugin_version" text,
	"input" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"result" jsonb,
	"problem" jsonb,
	"data_from" timestamp with time zone,
	"data_to" timestamp with time zone,
	"data_through" timestamp with time zone,
	"recompute" boolean DEFAULT false NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "analyses_status_check" CHECK (status in ('queued', 'running', 'succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "consents" DROP CONSTRAINT "consents_grantee_type_check";--> statement-breakpoint
ALTER TABLE "plugins" ALTER COLUMN "service_binding" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plugins" ADD COLUMN "url" text;--> statement-breakpoint
ALTER TABLE "plugins" ADD COLUMN "registered_by" uuid;--> statement-breakpoint
ALTER TABLE "plugins" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analyses_owner_idx" ON "analyses" USING btree ("tenant_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "analyses_recompute_idx" ON "analyses" USING btree ("tenant_id","plugin_id") WHERE "analyses"."recompute";--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_grantee_type_check" CHECK ("consents"."grantee_type" in ('user', 'client', 'group', 'study', 'plugin'));--> statement-breakpoint
ALTER TABLE "plugins" ADD CONSTRAINT "plugins_endpoint_check" CHECK (("plugins"."service_binding" is null) <> ("plugins"."url" is null));