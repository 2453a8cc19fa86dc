CREATE TABLE "observation_hourly" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"variable_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"value_count" integer NOT NULL,
	"sum" double precision,
	"min" double precision,
	"max" double precision,
	"last_value" double precision,
	"last_at" timestamp with time zone,
	"last_id" uuid,
	CONSTRAINT "observation_hourly_pkey" PRIMARY KEY("tenant_id","user_id","variable_id","hour")
);
--> statement-breakpoint
ALTER TABLE "observation_hourly" ADD CONSTRAINT "observation_hourly_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_hourly" ADD CONSTRAINT "observation_hourly_tenant_id_user_id_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill: the hourly rollup of every valid observation already stored (UTC hours).
INSERT INTO "observation_hourly" ("tenant_id", "user_id", "variable_id", "hour", "count", "value_count", "sum", "min", "max", "last_value", "last_at", "last_id")
SELECT o.tenant_id, o.user_id, o.variable_id, date_trunc('hour', o.start_at, 'UTC'), count(*)::int, count(o.value)::int,
       sum(o.value), min(o.value), max(o.value),
       (array_agg(o.value ORDER BY o.start_at DESC, o.id DESC) FILTER (WHERE o.value IS NOT NULL))[1],
       max(o.start_at) FILTER (WHERE o.value IS NOT NULL),
       (array_agg(o.id ORDER BY o.start_at DESC, o.id DESC) FILTER (WHERE o.value IS NOT NULL))[1]
FROM "observations" o
WHERE o.is_valid
GROUP BY 1, 2, 3, 4;
