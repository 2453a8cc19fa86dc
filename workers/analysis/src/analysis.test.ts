/**
 * The analysis Worker in the Workers runtime against the real database, calling the real template plugin
 * over its service binding (PLUGIN_TEMPLATE): a queued analysis runs and stores its result; an unreadable
 * message and a dead letter end it failed; a plugin disabled meanwhile fails the run; and the Cron sweep
 * queues the next run of a `recompute` analysis once newer data arrives (on the real `dfda-analyses`
 * queue, consumed by this Worker), and leaves it alone otherwise.
 */
import { createMessageBatch, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type AnalysisMessage, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { type AnalysisRow, createAnalysis, findAnalysis } from "@dfda/db/repositories/analyses";
import { createConsent } from "@dfda/db/repositories/consents";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { refreshRollups } from "@dfda/db/repositories/rollups";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import worker, { type AnalysisEnv, sweepStaleAnalyses } from "./index";

const analysisEnv = env as unknown as AnalysisEnv & { PLUGIN_TEMPLATE: { describe(): Promise<unknown> } };
let handle: DbHandle;
let tenantId: string;
let userId: string;
let source: string;

async function heartRate(at: string, value: number) {
  const { rows } = await handle.client.query<{ id: string; version: number }>(
    "select id, version from variables where tenant_id = $1 and slug = 'heart-rate' and valid_to is null",
    [SYSTEM_TENANT_ID],
  );
  const v = rows[0];
  if (!v) throw new Error("no heart-rate");
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     values ($1, $2, $3, $4, $5, $6, $7, '/min', $7, '/min', $8)`,
    [uuidv7(), tenantId, userId, v.id, v.version, at, value, source],
  );
  await refreshRollups(handle.db, tenantId, userId);
}

async function newAnalysis(recompute = false): Promise<AnalysisRow> {
  return createAnalysis(handle.db, {
    tenantId,
    userId,
    requestedByUser: userId,
    requestedByClient: "dfda-cli",
    pluginId: "template",
    pluginVersion: "1.0.0",
    input: { variables: ["heart-rate"], days: 10 },
    recompute,
  });
}

function message(a: AnalysisRow, run = 1): AnalysisMessage {
  return { v: 1, type: "analysis", analysis_id: a.id, tenant_id: tenantId, user_id: userId, run };
}

async function deliver(queue: string, body: unknown) {
  await worker.queue(
    createMessageBatch(queue, [{ id: uuidv7(), timestamp: new Date(), attempts: 1, body }]),
    analysisEnv,
  );
}

async function current(a: AnalysisRow): Promise<AnalysisRow> {
  const row = await findAnalysis(handle.db, { tenantId, userId }, a.id);
  if (row === null) throw new Error("analysis gone");
  return row;
}

beforeAll(async () => {
  handle = await connect(analysisEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `analysis-${uuidv7()}`, name: "Analysis" })).id;
  userId = (
    await createUser(handle.db, { tenantId, email: `a-${uuidv7()}@example.org`, passwordHash: null, roles: [] })
  ).id;
  source = await clientSource(handle.db, tenantId, "analysis-test", "Analysis test");
  // The template plugin, registered with the manifest its describe() answers over the binding.
  const manifest = await analysisEnv.PLUGIN_TEMPLATE.describe();
  await handle.client.query(
    `insert into plugins (id, tenant_id, slug, name, kind, version, service_binding, manifest)
     values ($1, $2, 'template', 'Template', 'analysis', '1.0.0', 'PLUGIN_TEMPLATE', $3)`,
    [uuidv7(), tenantId, JSON.stringify(manifest)],
  );
  await createConsent(handle.db, {
    tenantId,
    ownerId: userId,
    granteeType: "plugin",
    granteeId: "template",
    actions: ["read"],
    categories: ["vital_signs"],
    variableIds: [],
    grantedBy: userId,
    via: "api",
  });
  for (let d = 1; d <= 5; d++) await heartRate(`2026-04-0${d}T07:00:00Z`, 50 + d);
});

afterAll(async () => handle?.close());

describe("the queue consumer", () => {
  it("runs a queued analysis with the plugin and stores its result", async () => {
    const a = await newAnalysis();
    await deliver("dfda-analyses", message(a));
    const done = await current(a);
    expect(done).toMatchObject({ status: "succeeded", runs: 1, pluginVersion: "1.0.0", progress: 1 });
    expect(done.result).toMatchObject({ variables: [{ slug: "heart-rate", n: 5, mean: 53 }] });
    expect(done.dataThrough?.toISOString()).toBe("2026-04-05T07:00:00.000Z");
  });

  it("ends an analysis whose message does not parse, and a dead letter, failed", async () => {
    const unreadable = await newAnalysis();
    await deliver("dfda-analyses", { tenant_id: tenantId, analysis_id: unreadable.id, run: "first" });
    expect(await current(unreadable)).toMatchObject({ status: "failed", problem: { code: "internal_error" } });
    const dead = await newAnalysis();
    await deliver("dfda-analyses-dlq", message(dead));
    expect(await current(dead)).toMatchObject({ status: "failed", problem: { code: "internal_error" } });
  });

  it("fails the run when the plugin was disabled meanwhile", async () => {
    const a = await newAnalysis();
    await handle.client.query("update plugins set enabled = false where tenant_id = $1", [tenantId]);
    try {
      await deliver("dfda-analyses", message(a));
    } finally {
      await handle.client.query("update plugins set enabled = true where tenant_id = $1", [tenantId]);
    }
    expect(await current(a)).toMatchObject({ status: "failed", problem: { code: "not_found" } });
  });
});

describe("plugins reached by URL", () => {
  it("fail the run at once: this Worker cannot sign their requests", async () => {
    const manifest = await analysisEnv.PLUGIN_TEMPLATE.describe();
    await handle.client.query(
      `insert into plugins (id, tenant_id, slug, name, kind, version, url, manifest)
       values ($1, $2, 'remote', 'Remote', 'analysis', '1.0.0', 'https://plugin.example/analysis', $3)`,
      [uuidv7(), tenantId, JSON.stringify(manifest)],
    );
    const a = await createAnalysis(handle.db, {
      tenantId,
      userId,
      requestedByUser: userId,
      requestedByClient: "dfda-cli",
      pluginId: "remote",
      pluginVersion: "1.0.0",
      input: { variables: ["heart-rate"] },
      recompute: false,
    });
    await deliver("dfda-analyses", message(a));
    expect(await current(a)).toMatchObject({ status: "failed", runs: 1, problem: { code: "plugin_unreachable" } });
  });
});

describe("the recompute sweep", () => {
  it("queues the next run once newer data arrives, and only then", async () => {
    const a = await newAnalysis(true);
    await deliver("dfda-analyses", message(a));
    expect((await current(a)).status).toBe("succeeded");
    // Nothing newer than what the run saw: nothing queued.
    expect(await sweepStaleAnalyses(analysisEnv, new Date("2026-04-06T00:00:00Z"))).toBe(0);

    await heartRate("2026-04-06T07:00:00Z", 80);
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date("2026-04-06T08:00:00Z"), cron: "*/15 * * * *" }),
      analysisEnv,
    );
    // The sweep queued run 2 on the real queue; this Worker consumes it and runs it.
    await vi.waitFor(
      async () => {
        const row = await current(a);
        expect(row).toMatchObject({ status: "succeeded", runs: 2 });
        expect(row.dataThrough?.toISOString()).toBe("2026-04-06T07:00:00.000Z");
      },
      { timeout: 20_000, interval: 200 },
    );
    expect((await current(a)).result).toMatchObject({ variables: [{ n: 6 }] });
  });
});
