import { describe, expect, it } from "vitest";
import type { Output } from "./cli-support";
import { formatBytes, Progress } from "./progress";

function sink(tty: boolean, columns?: number): Output & { text: string } {
  const out = {
    text: "",
    isTTY: tty,
    ...(columns === undefined ? {} : { columns }),
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out;
}

describe("Progress", () => {
  it("redraws one line on a terminal, only when it changes, and ends it with the final words", () => {
    const out = sink(true);
    const p = new Progress(out, "Uploading a.csv", formatBytes);
    p.update(0, 4000);
    p.update(0, 4000);
    p.update(2000, 4000);
    p.update(4000, 4000);
    p.done("Uploaded a.csv.");
    expect(out.text.split("\r\x1b[2K")).toEqual([
      "",
      "Uploading a.csv [........................] 0% 0 B of 4.00 kB",
      "Uploading a.csv [############............] 50% 2.00 kB of 4.00 kB",
      "Uploading a.csv [########################] 100% 4.00 kB of 4.00 kB",
      "Uploaded a.csv.\n",
    ]);
  });

  it("cuts the line to the terminal's width", () => {
    const out = sink(true, 20);
    new Progress(out, "Uploading a-very-long-name.csv").update(1, 2);
    expect(out.text).toBe("\r\x1b[2KUploading a-very-lo");
  });

  it("writes a plain line at each tenth of the way elsewhere (a pipe, a log)", () => {
    const out = sink(false);
    const p = new Progress(out, "Mapping");
    for (let done = 0; done <= 1000; done += 25) p.update(done, 1000, "processing");
    p.done("Mapping completed.");
    const lines = out.text.trimEnd().split("\n");
    expect(lines[0]).toBe("Mapping: 0% (0 of 1,000) processing");
    expect(lines.slice(1, -1).map((l) => /: (\d+)%/.exec(l)?.[1])).toEqual([
      "10",
      "20",
      "30",
      "40",
      "50",
      "60",
      "70",
      "80",
      "90",
      "100",
    ]);
    expect(lines.at(-1)).toBe("Mapping completed.");
    expect(out.text).not.toContain("\r");
  });

  it("without a total, writes a line each time the amount doubles", () => {
    const out = sink(false);
    const p = new Progress(out, "Reading");
    for (let done = 0; done <= 40; done++) p.update(done, undefined);
    expect(out.text.trimEnd().split("\n")).toEqual([
      "Reading: 0",
      "Reading: 1",
      "Reading: 2",
      "Reading: 4",
      "Reading: 8",
      "Reading: 16",
      "Reading: 32",
    ]);
  });
});

describe("formatBytes", () => {
  it("reads in SI units", () => {
    expect([0, 999, 1000, 123_456, 999_999, 9_999_999, 2e9].map(formatBytes)).toEqual([
      "0 B",
      "999 B",
      "1.00 kB",
      "123.5 kB",
      "1.00 MB",
      "10.0 MB",
      "2.00 GB",
    ]);
  });
});
