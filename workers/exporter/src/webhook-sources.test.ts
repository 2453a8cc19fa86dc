/**
 * Webhook event sources through their real caller (issue 18, docs/webhooks.md): the exporter Worker's
 * queue handler completing an export writes one `export.ready` event into the `webhook_events` outbox,
 * in the transaction that completes it, about the export's owner and without a link; a redelivered
 * message writes no second one, and a failed export none at all.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type ExportMessage, SYSTEM_TENANT_ID, uuidv7 } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { createExport, type ExportRecord, getExport } from "@dfda/db/repositories/exports";
import { createTenant, createUser } from "@dfda/db/repositories/identity";
import { clientSource } from "@dfda/db/repositories/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import exporter, { type ExporterEnv } from "./index";

const exporterEnv = env as unknown as ExporterEnv;
let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await connect(exporterEnv.HYPERDRIVE.connectionString);
  tenantId = (await createTenant(handle.db, { slug: `exwh-${uuidv7().slice(-8)}`, name: "Export events" })).id;
});
afterAll(async () => handle.close());

async function makeUser(): Promise<string> {
  return (
    await createUser(handle.db, {
      tenantId,
      email: `x-${uuidv7()}@example.org`,
      passwordHash: null,
      roles: ["data_owner"],
    })
  ).id;
}

function message(record: ExportRecord, extra: Partial<ExportMessage> = {}): ExportMessage {
  return {
    v: 1,
    type: "export",
    export_id: record.id,
    tenant_id: record.tenantId,
    user_id: record.userId,
    base_url: "http://127.0.0.1:8787",
    ...extra,
  };
}

function deliver(body: unknown, queue = "dfda-exports") {
  return exporter.queue(
    createMessageBatch(queue, [{ id: uuidv7(), timestamp: new Date(), attempts: 1, body }]),
    exporterEnv,
  );
}

async function eventsAbout(exportId: string) {
  const { rows } = await handle.client.query<{
    tenant_id: string;
    user_id: string;
    type: string;
    data: Record<string, unknown>;
    variable_ids: string[];
    connection_id: string | null;
    consent_id: string | null;
  }>(
    `select tenant_id, user_id, type, data, variable_ids, connection_id, consent_id from webhook_events
      where tenant_id = $1 and data->>'export_id' = $2`,
    [tenantId, exportId],
  );
  return rows;
}

describe("export.ready from the exporter Worker", () => {
  it("is written once when the export completes, naming the export, its format and expiry", async () => {
    const userId = await makeUser();
    const source = await clientSource(handle.db, tenantId, "test-watch", "Watch");
    await handle.client.query(
      `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
         original_value, original_unit, source_id)
       select gen_random_uuid(), $1, $2, v.id, v.version, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 hour',
              60 + i, '/min', 60 + i, '/min', $3
       from generate_series(0, 4) as i,
            (select id, version from variables where tenant_id = $4 and slug = 'heart-rate' and valid_to is null) v`,
      [tenantId, userId, source, SYSTEM_TENANT_ID],
    );
    const record = await createExport(handle.db, {
      tenantId,
      userId,
      requestedBy: userId,
      format: "json",
      filters: {},
      includeFiles: false,
    });
    expect(await eventsAbout(record.id)).toEqual([]);

    await deliver(message(record));
    const done = await getExport(handle.db, { tenantId, userId }, record.id);
    expect(done).toMatchObject({ status: "completed", rowsWritten: 5 });
    const events = await eventsAbout(record.id);
    expect(events).toEqual([
      {
        tenant_id: tenantId,
        user_id: userId,
        type: "export.ready",
        data: { export_id: record.id, format: "json", expires_at: done?.expiresAt?.toISOString() },
        variable_ids: [],
        connection_id: null,
        consent_id: null,
      },
    ]);
    // No link in the event: the subscriber asks GET /v1/me/exports/{id} with its own token.
    expect(JSON.stringify(events[0]?.data)).not.toContain("http");

    // A redelivered message finds the export completed and writes no second event.
    await deliver(message(record));
    expect(await eventsAbout(record.id)).toHaveLength(1);
  });

  it("is not written for an export that fails", async () => {
    const userId = await makeUser();
    const record = await createExport(handle.db, {
      tenantId,
      userId,
      requestedBy: userId,
      format: "csv",
      filters: {},
      includeFiles: false,
    });
    await deliver(message(record), "dfda-exports-dlq");
    expect(await getExport(handle.db, { tenantId, userId }, record.id)).toMatchObject({ status: "failed" });
    expect(await eventsAbout(record.id)).toEqual([]);
  });
});
