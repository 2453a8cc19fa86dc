/**
 * Progress on stderr, so stdout stays clean for data and `--json`. On a terminal one line is redrawn in
 * place (carriage return and ECMA-48 "erase in line", CSI 2 K); anywhere else (a pipe, a log file, CI)
 * a plain line is written at each tenth of the way, so a log stays short and readable. Redraws follow
 * the work, not a clock: the same input always prints the same lines.
 */
import type { Output } from "./cli-support";

/** Bytes in the units people read (SI, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  // Compared after rounding, so 999,999 bytes read "1.00 MB", not "1000.0 kB".
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 9.995 ? 2 : 1)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

const BAR_WIDTH = 24;
/** Plain lines at each of these fractions of the total. */
const STEPS = 10;

export class Progress {
  private lastText = "";
  private nextStep = 0;
  private nextUnknown = 1;
  private drawn = false;

  /**
   * @param label what is under way ("Uploading heart.csv")
   * @param format how an amount reads (bytes or a count)
   */
  constructor(
    private readonly out: Output,
    private readonly label: string,
    private readonly format: (n: number) => string = formatCount,
  ) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  /** `done` of `total` (undefined when unknown); `note` adds words after the numbers (a status). */
  update(done: number, total: number | undefined, note?: string): void {
    const known = total !== undefined && total > 0;
    const fraction = known ? Math.min(1, done / total) : 0;
    const amount = known ? `${this.format(done)} of ${this.format(total)}` : this.format(done);
    const suffix = note ? ` ${note}` : "";
    if (this.tty) {
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = known
        ? `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% `
        : "";
      let text = `${this.label} ${bar}${amount}${suffix}`;
      const width = this.out.columns ?? 80;
      if (text.length > width - 1) text = text.slice(0, Math.max(0, width - 1));
      if (text === this.lastText) return;
      this.lastText = text;
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
      return;
    }
    // A plain line when a tenth of the way is passed, or (total unknown) each time the amount doubles.
    if (known) {
      const step = Math.floor(fraction * STEPS);
      if (step < this.nextStep) return;
      this.nextStep = step + 1;
      this.out.write(`${this.label}: ${Math.floor(fraction * 100)}% (${amount})${suffix}\n`);
      return;
    }
    if (done < this.nextUnknown && this.lastText !== "") return;
    this.nextUnknown = Math.max(1, done * 2);
    this.lastText = amount;
    this.out.write(`${this.label}: ${amount}${suffix}\n`);
  }

  /** Ends the progress line with `text` (on a terminal it replaces the bar). */
  done(text: string): void {
    if (this.tty) {
      this.out.write(`${this.drawn ? "\r\x1b[2K" : ""}${text}\n`);
    } else {
      this.out.write(`${text}\n`);
    }
    this.drawn = false;
  }

  /** Leaves the terminal on a fresh line after a failure in the middle of a redrawn bar. */
  abandon(): void {
    if (this.tty && this.drawn) this.out.write("\n");
    this.drawn = false;
  }
}
