/**
 * Webhook event sources through their real caller (issue 18, docs/webhooks.md): a file mapped by the
 * mapper Worker and committed by the person's writer writes, in the commit's transaction,
 * `job.completed` (with the job's counts and issues), `observations.created` and, for the refused row,
 * `data.rejected` into the `webhook_events` outbox, and tells the person with a `data_rejected` notice.
 */
import type { DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PipelineHarness } from "../test/harness";

let h: PipelineHarness;
let handle: DbHandle;

beforeAll(async () => {
  h = await PipelineHarness.open("whsrc");
  handle = h.handle;
});
afterAll(async () => h.close());

const heartRate = (id: string, value: number, unit: string, at: string) => ({
  resource: {
    resourceType: "Observation",
    id,
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "8867-4", display: "Heart rate" }] },
    effectiveDateTime: at,
    valueQuantity: { value, unit, system: "http://unitsofmeasure.org", code: unit },
  },
});

/** Two heart rates, the second in kilograms: a unit that cannot measure a heart rate, so refused. */
const bundle = JSON.stringify({
  resourceType: "Bundle",
  type: "collection",
  entry: [heartRate("ok", 64, "/min", "2026-02-01T07:00:00Z"), heartRate("bad", 64, "kg", "2026-02-01T07:05:00Z")],
});

describe("ingestion job events from the mapper pipeline", () => {
  it("a file with one refused row: job.completed with counts, observations.created, data.rejected and a notice", async () => {
    const fileId = await h.storeFile(bundle, "heart.json", "application/fhir+json");
    const job = await h.mapFile(fileId);
    expect(job).toMatchObject({ status: "completed_with_issues", received: 2, stored: 1, rejected: 1 });

    const { rows: events } = await handle.client.query<{
      tenant_id: string;
      user_id: string;
      type: string;
      data: Record<string, unknown>;
      variable_ids: string[];
    }>(
      `select tenant_id, user_id, type, data, variable_ids from webhook_events
        where tenant_id = $1 and data->>'job_id' = $2 order by type`,
      [h.tenantId, job.id],
    );
    const { rows: variables } = await handle.client.query<{ id: string }>(
      "select distinct variable_id as id from observations where tenant_id = $1 and file_id = $2",
      [h.tenantId, fileId],
    );
    expect(variables).toHaveLength(1);
    const heartRateId = variables[0]?.id;
    const base = { job_id: job.id, file_id: fileId, kind: "file" };
    expect(events.map((e) => e.type)).toEqual(["data.rejected", "job.completed", "observations.created"]);
    for (const e of events) {
      expect(e.tenant_id).toBe(h.tenantId);
      expect(e.user_id).toBe(h.userId);
      expect(e.variable_ids).toEqual([heartRateId]);
    }
    const [rejected, completed, created] = events;
    expect(completed?.data).toEqual({
      ...base,
      status: "completed_with_issues",
      counts: { received: 2, stored: 1, duplicates: 0, flagged: 0, outliers: 0, rejected: 1 },
      issues: [{ code: "unit_incommensurable", severity: "error", count: 1 }],
    });
    expect(created?.data).toEqual({ ...base, stored: 1, variable_ids: [heartRateId] });
    expect(rejected?.data).toEqual({ ...base, rejected: 1, issues: [{ code: "unit_incommensurable", count: 1 }] });

    const { rows: notices } = await handle.client.query<{ kind: string; data: Record<string, unknown>; body: string }>(
      "select kind, data, body from owner_notices where tenant_id = $1 and user_id = $2",
      [h.tenantId, h.userId],
    );
    expect(notices).toEqual([
      {
        kind: "data_rejected",
        data: { ...base, rejected: 1 },
        body: expect.stringContaining("1 of 2 observation(s) were refused (most often: unit_incommensurable)"),
      },
    ]);
  });

  it("a clean file writes job.completed and observations.created, and neither data.rejected nor a notice", async () => {
    await h.newPerson();
    const clean = JSON.stringify({
      resourceType: "Bundle",
      type: "collection",
      entry: [heartRate("a", 61, "/min", "2026-02-02T07:00:00Z")],
    });
    const job = await h.mapFile(await h.storeFile(clean, "clean.json", "application/fhir+json"));
    expect(job).toMatchObject({ status: "completed", received: 1, stored: 1, rejected: 0 });
    const { rows } = await handle.client.query<{ type: string; user_id: string }>(
      "select type, user_id from webhook_events where tenant_id = $1 and data->>'job_id' = $2 order by type",
      [h.tenantId, job.id],
    );
    expect(rows).toEqual([
      { type: "job.completed", user_id: h.userId },
      { type: "observations.created", user_id: h.userId },
    ]);
    const notices = await handle.client.query("select 1 from owner_notices where tenant_id = $1 and user_id = $2", [
      h.tenantId,
      h.userId,
    ]);
    expect(notices.rowCount).toBe(0);
  });
});
