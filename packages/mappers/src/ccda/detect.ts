/**
 * Recognises a C-CDA document from the start of the file: the root element `ClinicalDocument` in the
 * CDA namespace (CDA R2 §1.1), or a lone C-CDA section carrying a C-CDA section template id.
 */
import type { DetectInput } from "@dfda/core";

/** The root element's qualified name and its start tag, skipping the prolog (declaration, PIs, comments, DOCTYPE). */
export function rootElement(text: string): { name: string; local: string; startTag: string } | null {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text.charAt(i))) i++;
    if (text.startsWith("\uFEFF", i)) {
      i++;
      continue;
    }
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      // The internal subset (`[...]`) may hold `>` characters.
      const bracket = text.indexOf("[", i);
      const close = text.indexOf(">", i);
      if (close < 0) return null;
      if (bracket >= 0 && bracket < close) {
        const subsetEnd = text.indexOf("]", bracket);
        if (subsetEnd < 0) return null;
        const end = text.indexOf(">", subsetEnd);
        if (end < 0) return null;
        i = end + 1;
      } else {
        i = close + 1;
      }
    } else if (text.charAt(i) === "<") {
      const m = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)([^>]*)>?/.exec(text.slice(i, i + 4096));
      if (!m || m[1] === undefined) return null;
      const name = m[1];
      return { name, local: name.slice(name.indexOf(":") + 1), startTag: m[0] };
    } else {
      return null;
    }
  }
  return null;
}

const CDA_NAMESPACE = /\bxmlns(?::[\w.-]+)?\s*=\s*["']urn:hl7-org:v3["']/;
/** A C-CDA section-level template id (2.16.840.1.113883.10.20.22.2.*; C-CDA R2.1 Vol. 2 §4). */
const CCDA_SECTION_TEMPLATE =
  /<(?:[\w.-]+:)?templateId\b[^>]*\broot\s*=\s*["']2\.16\.840\.1\.113883\.10\.20\.22\.2\.\d/;

export function detectCcda(input: DetectInput): number {
  const root = rootElement(input.headText);
  if (root?.local === "ClinicalDocument") {
    return CDA_NAMESPACE.test(root.startTag) || CDA_NAMESPACE.test(input.headText.slice(0, 8192)) ? 0.95 : 0.7;
  }
  if (root?.local === "section" && CCDA_SECTION_TEMPLATE.test(input.headText)) return 0.9;
  if (root !== null) return 0;
  // The start of the file says nothing structural: only the name or media type may hint.
  const name = input.name?.toLowerCase() ?? "";
  const type = input.contentType?.toLowerCase() ?? "";
  if (/\.(ccda|cda|ccd)(\.xml)?$/.test(name) || type.includes("cda")) return 0.3;
  return 0;
}
