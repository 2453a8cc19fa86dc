/**
 * The plugin data API against the real PostgreSQL server of the test run: the exact table a plan gets
 * from known observations (combined per variable, zero-filled where the variable says, in canonical
 * units), and what it never gets: variables, categories, hours and people the grants do not cover, and
 * anything once the grant is revoked or expired.
 */
import { uuidv7 } from "@dfda/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type DbHandle } from "../client";
import { createConsent, revokeConsent } from "./consents";
import { createTenant, createUser } from "./identity";
import { clientSource } from "./ingest";
import { type PluginDataPlan, PluginDataRefused, pluginData } from "./plugin-data";
import { refreshRollups } from "./rollups";

let handle: DbHandle;
let tenantId: string;
let a: string;
let b: string;
let sourceId: string;
const vars: Record<string, { id: string; version: number; unit: string }> = {};
const NOW = new Date("2026-03-10T12:00:00Z");

async function variable(slug: string) {
  const { rows } = await handle.client.query<{ id: string; version: number; canonical_unit: string }>(
    "select id, version, canonical_unit from variables where slug = $1 and valid_to is null order by tenant_id limit 1",
    [slug],
  );
  const row = rows[0];
  if (!row) throw new Error(`${slug} is not seeded`);
  return { id: row.id, version: row.version, unit: row.canonical_unit };
}

async function observe(userId: string, slug: string, at: string, value: number) {
  const v = vars[slug];
  if (!v) throw new Error(slug);
  await handle.client.query(
    `insert into observations (id, tenant_id, user_id, variable_id, variable_version, start_at, value, unit,
       original_value, original_unit, source_id)
     values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $6, $7, $8)`,
    [tenantId, userId, v.id, v.version, at, value, v.unit, sourceId],
  );
}

async function registerPlugin(slug: string) {
  await handle.client.query(
    `insert into plugins (id, tenant_id, slug, name, kind, version, service_binding, manifest)
     values ($1, $2, $3, $3, 'analysis', '1.0.0', 'PLUGIN_TEST', '{}')`,
    [uuidv7(), tenantId, slug],
  );
}

async function grant(
  pluginSlug: string,
  scope: { categories?: string[]; variableIds?: string[]; from?: string; to?: string; expiresAt?: Date },
) {
  return createConsent(handle.db, {
    tenantId,
    ownerId: a,
    granteeType: "plugin",
    granteeId: pluginSlug,
    actions: ["read"],
    categories: scope.categories ?? [],
    variableIds: scope.variableIds ?? [],
    dataFrom: scope.from === undefined ? null : new Date(scope.from),
    dataTo: scope.to === undefined ? null : new Date(scope.to),
    expiresAt: scope.expiresAt ?? null,
    grantedBy: a,
    via: "api",
  });
}

function plan(p: Partial<PluginDataPlan>): PluginDataPlan {
  return { variables: [], all_in_categories: [], resolution: "day", days: 5, ...p };
}

async function refusal(work: Promise<unknown>): Promise<PluginDataRefused> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginDataRefused);
  return error as PluginDataRefused;
}

beforeAll(async () => {
  handle = await connect(inject("databaseUrl"));
  tenantId = (await createTenant(handle.db, { slug: `plugin-data-${uuidv7()}`, name: "Plugin data" })).id;
  a = (await createUser(handle.db, { tenantId, email: "a@plugin-data.test", passwordHash: null, roles: [] })).id;
  b = (await createUser(handle.db, { tenantId, email: "b@plugin-data.test", passwordHash: null, roles: [] })).id;
  sourceId = await clientSource(handle.db, tenantId, "plugin-data-test", "Plugin data test");
  for (const slug of ["metformin", "headache", "heart-rate", "steps"]) vars[slug] = await variable(slug);

  // A: metformin (treatments, summed) on 3 and 5 March, none on the 4th; headache (symptoms, mean) on
  // the 3rd and 4th; heart rate (vital signs: never granted); steps on the 5th (never granted).
  await observe(a, "metformin", "2026-03-03T08:00:00Z", 500);
  await observe(a, "metformin", "2026-03-03T20:00:00Z", 500);
  await observe(a, "metformin", "2026-03-05T08:15:00Z", 500);
  await observe(a, "metformin", "2026-03-05T08:45:00Z", 250);
  await observe(a, "headache", "2026-03-03T09:00:00Z", 2);
  await observe(a, "headache", "2026-03-03T21:00:00Z", 4);
  await observe(a, "headache", "2026-03-04T09:00:00Z", 6);
  await observe(a, "heart-rate", "2026-03-04T09:00:00Z", 61);
  await observe(a, "steps", "2026-03-05T09:00:00Z", 9000);
  // B's metformin: never in A's table.
  await observe(b, "metformin", "2026-03-04T08:00:00Z", 9999);
  await refreshRollups(handle.db, tenantId, a);
  await refreshRollups(handle.db, tenantId, b);

  for (const slug of ["n-of-1", "windowed", "revoked", "expired", "nothing"]) await registerPlugin(slug);
  await grant("n-of-1", { categories: ["treatments"], variableIds: [vars.headache?.id ?? ""] });
  // From noon on the 3rd to 08:30 on the 5th: the morning dose of the 3rd and the 08:45 one of the 5th are out.
  await grant("windowed", {
    categories: ["treatments"],
    from: "2026-03-03T12:00:00Z",
    to: "2026-03-05T08:30:00Z",
  });
  const revoked = await grant("revoked", { categories: ["treatments"] });
  await revokeConsent(handle.db, { tenantId, ownerId: a, id: revoked.id, actorUserId: a });
  // Revoked before the test's clock (revokeConsent stamps the real time).
  await handle.client.query("update consents set revoked_at = '2026-03-09T00:00:00Z' where id = $1", [revoked.id]);
  await grant("expired", { categories: ["treatments"], expiresAt: new Date("2026-03-09T00:00:00Z") });
});

afterAll(async () => {
  await handle?.close();
});

describe("pluginData", () => {
  it("builds the exact daily table from the granted variables, combined and filled as each says", async () => {
    const { table, dataThrough, grantIds } = await pluginData(handle.db, {
      tenantId,
      userId: a,
      pluginSlug: "n-of-1",
      plan: plan({ variables: ["metformin", "headache"] }),
      now: NOW,
    });
    // The newest granted value is on the 5th: the table ends with that day, five days back.
    expect(dataThrough?.toISOString()).toBe("2026-03-05T08:45:00.000Z");
    expect(table.start).toBe("2026-03-01T00:00:00.000Z");
    expect(table.end).toBe("2026-03-06T00:00:00.000Z");
    expect(table.times).toEqual([
      "2026-03-01T00:00:00.000Z",
      "2026-03-02T00:00:00.000Z",
      "2026-03-03T00:00:00.000Z",
      "2026-03-04T00:00:00.000Z",
      "2026-03-05T00:00:00.000Z",
    ]);
    expect(table.columns.map((c) => [c.slug, c.category, c.unit, c.combination, c.filling])).toEqual([
      ["metformin", "treatments", "mg", "sum", "zero"],
      ["headache", "symptoms", "{score}", "mean", "none"],
    ]);
    // Metformin: summed per day, 0 on the 4th (between the first and last record), unknown before.
    expect(table.columns[0]?.values).toEqual([null, null, 1000, 0, 750]);
    // Headache: the mean per day, unknown where not rated (never zero-filled).
    expect(table.columns[1]?.values).toEqual([null, null, 3, 6, null]);
    expect(table.columns[1]?.is_outcome).toBe(true);
    expect(grantIds).toHaveLength(1);
  });

  it("aligns by UTC hour at hour resolution", async () => {
    const { table } = await pluginData(handle.db, {
      tenantId,
      userId: a,
      pluginSlug: "n-of-1",
      plan: plan({ variables: ["metformin"], resolution: "hour", days: 1 }),
      now: NOW,
    });
    expect(table.times).toHaveLength(24);
    expect(table.end).toBe("2026-03-05T09:00:00.000Z");
    const values = table.columns[0]?.values ?? [];
    // 08:00–09:00 on the 5th holds 500 + 250; the hours between the 4th's records are zeros.
    expect(values[23]).toBe(750);
    expect(values.slice(0, 23).every((v) => v === 0)).toBe(true);
  });

  it("reads only inside the grant's data window, cutting hours exactly", async () => {
    const { table, dataThrough } = await pluginData(handle.db, {
      tenantId,
      userId: a,
      pluginSlug: "windowed",
      plan: plan({ variables: ["metformin"] }),
      now: NOW,
    });
    expect(dataThrough?.toISOString()).toBe("2026-03-05T08:15:00.000Z");
    // The 3rd: only the 20:00 dose; the 5th: only 08:15 (08:45 is after the window's end at 08:30).
    expect(table.columns[0]?.values).toEqual([null, null, 500, 0, 500]);
  });

  it("refuses a plan naming a variable the grant does not cover, naming it", async () => {
    const refused = await refusal(
      pluginData(handle.db, {
        tenantId,
        userId: a,
        pluginSlug: "n-of-1",
        plan: plan({ variables: ["metformin", "heart-rate"] }),
        now: NOW,
      }),
    );
    expect(refused.code).toBe("consent_required");
    expect(refused.variables).toEqual(["heart-rate"]);
    expect(refused.reason).toBe("out_of_scope");
  });

  it("gives a predictor search only the variables with data in granted categories", async () => {
    const { table } = await pluginData(handle.db, {
      tenantId,
      userId: a,
      pluginSlug: "n-of-1",
      plan: plan({ variables: ["headache"], all_in_categories: ["treatments", "physical_activity", "vital_signs"] }),
      now: NOW,
    });
    // Steps and heart rate have data but are not granted; other treatments are granted but empty.
    expect(table.columns.map((c) => c.slug)).toEqual(["headache", "metformin"]);
    const text = JSON.stringify(table);
    expect(text).not.toContain("9999");
    expect(text).not.toContain("9000");
    expect(text).not.toContain("61");
  });

  it("refuses once the grant is revoked or expired, and without any grant", async () => {
    const request = (pluginSlug: string) =>
      pluginData(handle.db, { tenantId, userId: a, pluginSlug, plan: plan({ variables: ["metformin"] }), now: NOW });
    expect((await refusal(request("revoked"))).reason).toBe("revoked");
    expect((await refusal(request("expired"))).reason).toBe("expired");
    const none = await refusal(request("nothing"));
    expect([none.code, none.reason]).toEqual(["consent_required", "no_grant"]);
    // B granted nothing: A's grant to n-of-1 never opens B's data.
    const other = await refusal(
      pluginData(handle.db, {
        tenantId,
        userId: b,
        pluginSlug: "n-of-1",
        plan: plan({ variables: ["metformin"] }),
        now: NOW,
      }),
    );
    expect(other.reason).toBe("no_grant");
  });

  it("refuses variables that do not exist or are not numeric", async () => {
    const refused = await refusal(
      pluginData(handle.db, {
        tenantId,
        userId: a,
        pluginSlug: "n-of-1",
        plan: plan({ variables: ["no-such-variable"] }),
        now: NOW,
      }),
    );
    expect([refused.code, refused.variables]).toEqual(["unknown_variables", ["no-such-variable"]]);
  });
});
