/**
 * The header row of a CSV/TSV file from its first bytes, for the column-mapping flow: the API shows
 * what matching would do with each column, and a mapping the person confirms is saved under the
 * header's signature and reused for later files with the same columns.
 */
import { detectDelimiter, Papa } from "./parse";

/** The first record of the text (RFC 4180 quoting), trimmed; null if there is none. */
export function readHeaders(headText: string): string[] | null {
  const text = headText.replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r\n|\r|\n/, 1)[0] ?? "";
  if (firstLine.trim() === "") return null;
  const result = Papa.parse<string[]>(text, { delimiter: detectDelimiter(firstLine), preview: 1 });
  const row = result.data[0];
  if (!row || row.length === 0) return null;
  return row.map((h) => h.trim());
}
