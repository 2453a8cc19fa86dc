/**
 * The per-file tally of observations held as pending, per local code, for the job's summary issues
 * (`local_code_pending`, one per code). Only counts: the observations themselves are staged in
 * pending_observations batch by batch (`stagePending`), whatever this tally keeps. Bounded whatever the
 * file (issue 12): at most `cap` codes are named one by one, each with its system, code and display cut
 * to MAX_HELD_TEXT characters; the observations of any further code count in one "other local codes"
 * bucket.
 */
import type { IngestIssue } from "@dfda/core";
import type { PendingItem } from "@dfda/db/repositories/pending";
import { codingKey } from "@dfda/db/repositories/reference";

/** Local codes named in their own summary issue per file; further codes are summed in one more issue. */
export const MAX_HELD_CODES = 1_000;

/** The most characters of a held code's system, code or display the summary quotes. */
export const MAX_HELD_TEXT = 256;

interface Tally {
  system: string;
  code: string;
  display: string | null;
  count: number;
}

/** At most MAX_HELD_TEXT characters, copied (a slice would keep its parent string alive). */
function cut(text: string): string {
  const short = text.length > MAX_HELD_TEXT ? `${text.slice(0, MAX_HELD_TEXT)}…` : text;
  return short.split("").join("");
}

/**
 * @example
 * const held = new HeldCodes();
 * held.add(item); // for each PendingItem staged
 * await insertIssues(db, tenantId, jobId, held.issues());
 */
export class HeldCodes {
  private readonly byCode = new Map<string, Tally>();
  /** Observations of codes past the first `cap` (their codes are not remembered). */
  private other = 0;

  constructor(private readonly cap = MAX_HELD_CODES) {}

  /** Codes named one by one (at most `cap`). */
  get size(): number {
    return this.byCode.size;
  }

  /** Observations held as pending so far. */
  get total(): number {
    let n = this.other;
    for (const t of this.byCode.values()) n += t.count;
    return n;
  }

  /** Counts one observation held as pending under its local code. */
  add(item: Pick<PendingItem, "system" | "code" | "display">): void {
    const key = codingKey(item.system, item.code);
    const known = this.byCode.get(key);
    if (known !== undefined) {
      known.count += 1;
    } else if (this.byCode.size < this.cap) {
      this.byCode.set(key, {
        system: cut(item.system),
        code: cut(item.code),
        display: item.display === null ? null : cut(item.display),
        count: 1,
      });
    } else {
      this.other += 1;
    }
  }

  /** One warning per code named, then one for the other codes (none when nothing was held). */
  issues(): IngestIssue[] {
    const out: IngestIssue[] = [...this.byCode.values()].map((h) => ({
      index: null,
      location: null,
      code: "local_code_pending",
      severity: "warning",
      message: `${h.count} observation(s) named by the local code ${h.code}${h.display ? ` ("${h.display}")` : ""} of ${h.system} are held as pending: no mapping of this code to a variable exists yet. They are stored when an administrator maps it.`,
    }));
    if (this.other > 0) {
      out.push({
        index: null,
        location: null,
        code: "local_code_pending",
        severity: "warning",
        message: `${this.other} observation(s) named by other local codes (past the ${this.cap.toLocaleString("en")} codes listed one by one) are held as pending: no mapping of these codes to variables exists yet. They are stored when an administrator maps them.`,
      });
    }
    return out;
  }
}
