/**
 * The exporter's streaming ZIP writer, checked by an independent reader: Python's `zipfile` (CPython's
 * implementation of APPNOTE, ZIP64 included) lists the archive, verifies every CRC-32 (`testzip`) and
 * reads each entry back byte for byte. Classic and ZIP64 archives, sizes known and unknown, UTF-8
 * names, an empty entry, and the refusals (a size that does not match, an unsafe or duplicate name).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crc32, type ZipEntry, ZipError, zipStream } from "../../workers/exporter/src/zip";

const dir = mkdtempSync(join(tmpdir(), "dfda-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Python's zipfile makes of an archive: each entry's name, size, and SHA-256 (after testzip). */
function inspect(bytes: Uint8Array): { bad: string | null; entries: Array<[string, number, string]> } {
  const path = join(dir, `${crypto.randomUUID()}.zip`);
  writeFileSync(path, bytes);
  const script = [
    "import hashlib, json, sys, zipfile",
    "z = zipfile.ZipFile(sys.argv[1])",
    "bad = z.testzip()",
    "print(json.dumps({'bad': bad, 'entries': [[i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]}))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" }));
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function zip(entries: ZipEntry[], options: { forceZip64?: boolean } = {}): Promise<Uint8Array> {
  const stream = zipStream(
    (async function* () {
      yield* entries;
    })(),
    options,
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 8)) % 256);
const text = new TextEncoder().encode('{"resourceType":"Observation"}\n'.repeat(1000));
const modified = new Date("2026-03-01T12:34:56Z");

describe("zipStream", () => {
  it("computes the CRC-32 of the check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    const split = crc32(new TextEncoder().encode("6789"), crc32(new TextEncoder().encode("12345")));
    expect(split).toBe(0xcbf43926);
  });

  for (const forceZip64 of [false, true]) {
    it(`writes an archive Python reads and verifies${forceZip64 ? " (ZIP64)" : ""}`, async () => {
      const bytes = await zip(
        [
          { name: "observations.ndjson", modified, body: () => chunked(text, 4096) },
          { name: "files/0190-Blutzucker März.csv", modified, size: big.length, body: () => chunked(big, 65_536) },
          { name: "files/empty", modified, size: 0, body: () => chunked(new Uint8Array(0), 1) },
          { name: "manifest.json", modified, body: () => new Blob(["{}\n"]).stream() },
        ],
        { forceZip64 },
      );
      const result = inspect(bytes);
      expect(result.bad).toBeNull();
      expect(result.entries).toEqual([
        ["observations.ndjson", text.length, sha256(text)],
        ["files/0190-Blutzucker März.csv", big.length, sha256(big)],
        ["files/empty", 0, sha256(new Uint8Array(0))],
        ["manifest.json", 3, sha256(new TextEncoder().encode("{}\n"))],
      ]);
      if (forceZip64) {
        // The ZIP64 end of central directory record is there.
        expect(Buffer.from(bytes).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
      }
    });
  }

  it("refuses a size that does not match, and unsafe or repeated names", async () => {
    await expect(zip([{ name: "a", modified, size: 10, body: () => chunked(big, 100) }])).rejects.toThrow(ZipError);
    await expect(zip([{ name: "../etc/passwd", modified, body: () => chunked(text, 10) }])).rejects.toThrow(ZipError);
    await expect(zip([{ name: "/abs", modified, body: () => chunked(text, 10) }])).rejects.toThrow(ZipError);
    await expect(
      zip([
        { name: "twice", modified, body: () => chunked(text, 10) },
        { name: "twice", modified, body: () => chunked(text, 10) },
      ]),
    ).rejects.toThrow(ZipError);
  });

  it("pulls an entry's body only when its turn comes", async () => {
    const opened: string[] = [];
    const entry = (name: string): ZipEntry => ({
      name,
      modified,
      body: () => {
        opened.push(name);
        return chunked(text, 1024);
      },
    });
    const reader = zipStream(
      (async function* () {
        yield entry("one");
        yield entry("two");
      })(),
    ).getReader();
    await reader.read(); // the first local header
    expect(opened).toEqual([]);
    await reader.read(); // the first chunk of "one"
    expect(opened).toEqual(["one"]);
    await reader.cancel();
  });
});
