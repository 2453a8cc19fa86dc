/**
 * A small in-memory element tree for ONE C-CDA entry at a time.
 *
 * The reader streams the document with saxes and only materialises the subtree of the entry it is in
 * (an `entry` of a supported section); the rest of the document is never kept. Each element remembers
 * its XPath-like location so observations and issues can point at it.
 *
 * Generic enough for any namespaced XML format read entry by entry (the element, its attributes
 * without a namespace, its `xsi:type`, its direct text and its children).
 */

/** The CDA R2 namespace (HL7 CDA R2 §1.1; every C-CDA element lives in it). */
export const HL7_V3_NS = "urn:hl7-org:v3";
/** XML Schema instance namespace, for `xsi:type` (HL7 V3 XML ITS R1 §1.3.1). */
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
/** The SDTC extension namespace C-CDA documents commonly declare. */
export const SDTC_NS = "urn:hl7-org:sdtc";

export interface XmlElement {
  /** Local name (`observation`). */
  name: string;
  /** True when the element is a CDA element: in `urn:hl7-org:v3`, or in no namespace (a C-CDA example fragment). */
  cda: boolean;
  /** Attributes without a namespace prefix, by name. */
  attributes: Record<string, string>;
  /** `xsi:type` without its prefix (`PQ`, `IVL_TS`), or null. */
  xsiType: string | null;
  /** Direct character data (text of children not included). */
  text: string;
  children: XmlElement[];
  /** XPath-like location, e.g. `/ClinicalDocument/component/structuredBody/component[3]/section/entry[1]`. */
  path: string;
}

/** The first CDA child element with this local name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.cda && c.name === name);
}

/** Every CDA child element with this local name, in document order. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.cda && c.name === name) : [];
}

/** Follows a chain of child names (`consumable/manufacturedProduct/manufacturedMaterial/code`). */
export function descend(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) current = child(current, name);
  return current;
}

/** An attribute value, or undefined when absent or blank. */
export function attr(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.attributes[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** All character data of the element and its descendants, whitespace collapsed. */
export function deepText(element: XmlElement | undefined): string {
  if (!element) return "";
  const parts: string[] = [];
  const walk = (e: XmlElement) => {
    parts.push(e.text);
    for (const c of e.children) walk(c);
  };
  walk(element);
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

/** The `root` of every `templateId` child (CDA R2 InfrastructureRoot.templateId). */
export function templateIds(element: XmlElement | undefined): string[] {
  return childrenNamed(element, "templateId")
    .map((t) => attr(t, "root"))
    .filter((r): r is string => r !== undefined);
}
