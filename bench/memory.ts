/**
 * The Workers' memory while a benchmark phase runs, read from Linux's /proc (proc(5)).
 *
 * Under `wrangler dev` (how `npm start` and the benchmark run the platform) every Worker of the
 * repository, the mapper among them, runs in one `workerd` process, so the mapper's own heap cannot be
 * told apart from the API's, the ingest consumer's and the Durable Objects'. What is measured is the
 * resident set (`VmRSS`) of every `workerd` process below the platform's root process, sampled every
 * 100 ms: its peak during the phase minus its level just before is an upper bound of what the phase
 * added (a mapper that buffered a 100 MB file would show at least 100 MB there). Where the kernel allows
 * (the process's owner or root), `clear_refs` is written `5` at the start, which resets `VmHWM` (the
 * kernel's own high-water mark of RSS, proc(5) /proc/pid/clear_refs), so the peak between two samples
 * is not missed either.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

export interface MemoryReport {
  method: string;
  /** workerd processes found below the root when the phase started. */
  processes: number;
  /** RSS just before the phase, MiB. */
  before_mib: number;
  /** Highest sampled RSS during the phase, MiB. */
  peak_mib: number;
  /** peak − before, MiB: an upper bound of what the phase added. */
  growth_mib: number;
  /** The kernel's high-water mark since the reset at the start (null when it could not be reset). */
  kernel_peak_mib: number | null;
  samples: number;
  /** The highest sampled RSS up to each mark (`mark(label)`), MiB: e.g. the upload's part of a phase. */
  marks: Record<string, number>;
}

/** `VmRSS` (or another `Vm…` line) of /proc/<pid>/status in KiB, or null when the process is gone. */
export function statusKib(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** Processes named `name` (comm) in the tree below `root` (root included). */
export function descendantsNamed(root: number, name: string): number[] {
  const children = new Map<number, number[]>();
  const comm = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/pid/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read from the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      const pid = Number(entry);
      comm.set(pid, stat.slice(stat.indexOf("(") + 1, close));
      const list = children.get(ppid) ?? [];
      list.push(pid);
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (comm.get(pid) === name) found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * Starts sampling the workerd processes below `root`; `stop()` returns the report. With `root` null
 * (the platform was started by someone else) nothing is sampled and `stop()` returns null.
 */
export function sampleWorkerdMemory(
  root: number | null,
  everyMs = 100,
): { mark(label: string): void; stop(): MemoryReport | null } {
  if (root === null || process.platform !== "linux") return { mark: () => {}, stop: () => null };
  const pids = descendantsNamed(root, "workerd");
  let reset = pids.length > 0;
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      reset = false;
    }
  }
  const rss = () => pids.reduce((sum, pid) => sum + (statusKib(pid, "VmRSS") ?? 0), 0);
  const before = rss();
  let peak = before;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
    samples += 1;
  }, everyMs);
  const marks: Record<string, number> = {};
  const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
  return {
    mark(label) {
      peak = Math.max(peak, rss());
      marks[label] = mib(peak);
    },
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rss());
      const hwm = reset ? pids.reduce((sum, pid) => sum + (statusKib(pid, "VmHWM") ?? 0), 0) : null;
      return {
        method: `VmRSS of ${pids.length} workerd process(es) below pid ${root}, sampled every ${everyMs} ms${reset ? "; VmHWM reset at the start (clear_refs 5)" : ""}`,
        processes: pids.length,
        before_mib: mib(before),
        peak_mib: mib(peak),
        growth_mib: mib(peak - before),
        kernel_peak_mib: hwm === null ? null : mib(hwm),
        samples,
        marks,
      };
    },
  };
}
