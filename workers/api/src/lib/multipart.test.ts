/**
 * The multipart reader keeps only the fields a route expects (issue 12, "Unbounded memory"): each
 * named once, none unnamed, so a form of a million small fields is refused at the first one it does
 * not expect instead of being collected.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, expectProblem } from "../../test/helpers";
import { makeClient, makeTenant, makeUser, userToken } from "../../test/identity";
import { MultipartReader } from "./multipart";

interface Part {
  name?: string;
  filename?: string;
  body: string;
}

function form(parts: readonly Part[]): { body: string; boundary: string } {
  const boundary = `----dfda${crypto.randomUUID()}`;
  let body = "";
  for (const p of parts) {
    const name = p.name === undefined ? "" : `; name="${p.name}"`;
    const file = p.filename === undefined ? "" : `; filename="${p.filename}"`;
    body += `--${boundary}\r\nContent-Disposition: form-data${name}${file}\r\n\r\n${p.body}\r\n`;
  }
  return { body: `${body}--${boundary}--\r\n`, boundary };
}

function readerOf(parts: readonly Part[], names: readonly string[]): MultipartReader {
  const { body, boundary } = form(parts);
  return new MultipartReader(new Blob([body]).stream(), boundary, { names });
}

async function problemOf(step: Promise<unknown>): Promise<string> {
  try {
    await step;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return "no error";
}

describe("MultipartReader", () => {
  it("reads the expected fields", async () => {
    const reader = readerOf(
      [
        { name: "mapping", body: "{}" },
        { name: "file", filename: "a.csv", body: "a\r\n1" },
      ],
      ["file", "mapping"],
    );
    expect((await reader.next())?.name).toBe("mapping");
    expect(await reader.text(10)).toBe("{}");
    expect((await reader.next())?.filename).toBe("a.csv");
    expect(await reader.text(10)).toBe("a\r\n1");
    expect(await reader.next()).toBeNull();
  });

  it("refuses a field it does not expect, a repeated one and an unnamed one", async () => {
    const names = ["file", "mapping"];
    expect(await problemOf(readerOf([{ name: "note", body: "x" }], names).next())).toContain(
      "unexpected field `note` (expected: file, mapping)",
    );
    const twice = readerOf(
      [
        { name: "mapping", body: "{}" },
        { name: "mapping", body: "{}" },
      ],
      names,
    );
    await twice.next();
    expect(await problemOf(twice.next())).toContain("the field `mapping` is repeated");
    expect(await problemOf(readerOf([{ body: "x" }], names).next())).toContain("a part has no name");
  });

  it("refuses a form of many small fields at the first unexpected one", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, body: "x" }));
    const reader = readerOf([{ name: "file", filename: "a.csv", body: "a" }, ...many], ["file", "mapping"]);
    expect((await reader.next())?.name).toBe("file");
    expect(await problemOf(reader.next())).toContain("unexpected field `f0`");
  });
});

describe("POST /v1/ingest/files with unexpected form fields", () => {
  let token: string;
  beforeAll(async () => {
    const tenant = await makeTenant();
    const client = await makeClient(tenant, { type: "public", scopes: ["openid", "files:read", "files:write"] });
    token = await userToken(client, await makeUser(tenant), "files:read files:write");
  });

  it("answers 400 naming the field, before or after the file", async () => {
    for (const parts of [
      [
        { name: "extra", body: "x" },
        { name: "file", filename: "a.csv", body: "date,steps\r\n2026-01-01,5" },
      ],
      [
        { name: "file", filename: "a.csv", body: "date,steps\r\n2026-01-02,5" },
        { name: "extra", body: "x" },
      ],
    ]) {
      const { body, boundary } = form(parts);
      const res = await api("/v1/ingest/files", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": `multipart/form-data; boundary=${boundary}` },
        body,
      });
      const problem = await expectProblem(res, 400, "validation_failed");
      expect(problem.detail).toContain("unexpected field `extra`");
    }
  });
});
