/**
 * Streams a C-CDA document through saxes and hands each entry of a supported section, as a small element
 * tree, to `EntryMapper`. Only the open-element stack, the enclosing sections' template ids and the
 * current entry are kept: memory does not grow with the document.
 */
import type { MapContext, MapEvent, MappingIssue } from "@dfda/core";
import { type ResolvePrefix, SaxesParser, type SaxesTagNS } from "saxes";
import { MAX_DISTINCT_NAMES, MAX_XML_DEPTH, xmlTooDeep } from "../util/limits";
import { Clock } from "./datatypes";
import { HL7_V3_NS, SDTC_NS, type XmlElement, XSI_NS } from "./element";
import { EntryMapper } from "./entries";
import { SECTION_LABEL, type SectionKind, sectionKind } from "./sections";

/** Elements whose position is always written in a location (they repeat in CDA R2). */
const REPEATING = new Set(["component", "entry", "entryRelationship"]);
/** An entry larger than this is not kept in memory (a real entry has tens to hundreds of elements). */
const MAX_ENTRY_ELEMENTS = 20_000;
/** Characters of an entry's text and attributes (names and values) together. */
export const MAX_ENTRY_TEXT = 1_000_000;
/** A section's `templateId`s kept (a real one has one to three); later ones are ignored. */
export const MAX_SECTION_TEMPLATE_IDS = 100;
/** A section's title text kept, in characters (it only names the section in issues); the rest is dropped. */
export const MAX_SECTION_TITLE = 1_000;

interface Frame {
  /** Qualified name as written (`sdtc:raceCode`). */
  name: string;
  local: string;
  cda: boolean;
  path: string;
  /** How many children of each name were opened so far (for positions; at most `MAX_DISTINCT_NAMES` names). */
  counts: Map<string, number>;
  /** Children of any name so far (positions of names past `MAX_DISTINCT_NAMES`). */
  elements: number;
  /** The element this frame added to the captured entry, if any. */
  element?: XmlElement;
}

interface Section {
  /** Index of the section's frame in the stack. */
  depth: number;
  path: string;
  templateIds: string[];
  code?: string;
  codeSystem?: string;
  title: string;
  nullFlavor?: string;
  entries: number;
}

interface Capture {
  root: XmlElement;
  depth: number;
  kind: SectionKind;
  elements: number;
  /** Characters of text and attributes so far. */
  text: number;
  overflow: boolean;
}

type Options = {
  xmlns: true;
  additionalNamespaces: Record<string, string>;
  resolvePrefix: ResolvePrefix;
};

export class CcdaReader {
  /** Set once mapping stopped: the file is not CDA, or not well-formed. */
  done = false;
  private readonly parser: SaxesParser<Options>;
  private readonly events: MapEvent[] = [];
  private readonly frames: Frame[] = [];
  private readonly sections: Section[] = [];
  private readonly clock: Clock;
  private readonly entries: EntryMapper;
  private readonly unboundPrefixes = new Set<string>();
  /** Undeclared prefixes not recorded because `unboundPrefixes` was full. */
  private unboundMore = 0;
  private capture: Capture | null = null;
  private titleOf: Section | null = null;
  private custodianSeen = false;

  constructor(context: MapContext) {
    this.clock = new Clock(context.timezone);
    this.entries = new EntryMapper(context, this.clock, (event) => this.events.push(event));
    for (const issue of this.clock.issues.splice(0)) this.events.push({ kind: "issue", issue });
    this.parser = new SaxesParser<Options>({
      xmlns: true,
      // C-CDA example fragments (a lone <section>, as HL7's C-CDA-Examples publish them) use `xsi:type`
      // without declaring `xsi`; a document declares both on ClinicalDocument.
      additionalNamespaces: { xsi: XSI_NS, sdtc: SDTC_NS },
      resolvePrefix: (prefix) => {
        // The default namespace is asked for too: undeclared, it is no namespace (a fragment).
        if (prefix === "") return undefined;
        if (!this.unboundPrefixes.has(prefix) && this.unboundPrefixes.size >= MAX_DISTINCT_NAMES) {
          this.unboundMore += 1;
        } else if (!this.unboundPrefixes.has(prefix)) {
          this.unboundPrefixes.add(prefix);
          this.issue(
            null,
            "unbound_namespace_prefix",
            "warning",
            `The namespace prefix "${prefix}" is used but never declared (line ${this.parser.line}); its elements were ignored.`,
          );
        }
        return `urn:undeclared-prefix:${prefix}`;
      },
    });
    this.parser.on("opentag", (tag) => this.open(tag));
    this.parser.on("closetag", () => this.close());
    this.parser.on("text", (text) => this.text(text));
    this.parser.on("cdata", (text) => this.text(text));
    this.parser.on("error", (error) => this.fail(error));
  }

  write(text: string): void {
    if (this.done) return;
    this.parser.write(text);
  }

  end(): void {
    if (this.done) return;
    this.parser.close();
    this.done = true;
    if (this.unboundMore > 0) {
      this.issue(
        null,
        "unbound_namespace_prefix",
        "warning",
        `… and ${this.unboundMore.toLocaleString("en")} more uses of other undeclared prefixes (past ${MAX_DISTINCT_NAMES.toLocaleString("en")} prefixes, not listed); their elements were ignored.`,
      );
    }
  }

  /** Events produced since the last call, in document order. */
  drain(): MapEvent[] {
    return this.events.splice(0);
  }

  private issue(location: string | null, code: string, severity: MappingIssue["severity"], message: string): void {
    this.events.push({ kind: "issue", issue: { location, code, severity, message } });
  }

  private where(): { line: number; column: number; location: string } {
    // saxes reports the position of the next character; its column is 0-based, ours 1-based.
    const line = this.parser.line;
    const column = this.parser.column + 1;
    return { line, column, location: `line ${line}, column ${column}` };
  }

  private fail(error: Error): void {
    if (this.done) return;
    this.done = true;
    const { line, column, location } = this.where();
    const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, "");
    this.issue(
      location,
      "malformed_xml",
      "error",
      `The XML is not well-formed at line ${line}, column ${column}: ${reason}${this.capture ? " The entry being read there was not mapped." : ""}${this.frames.length > 0 ? " Nothing after this point was mapped." : ""}`,
    );
    this.capture = null;
  }

  private open(tag: SaxesTagNS): void {
    if (this.done) return;
    // Refused whole (InputTooLargeError thrown through saxes' write), like a text node past its limit.
    if (this.frames.length >= MAX_XML_DEPTH) throw xmlTooDeep(this.parser.line);
    const parent = this.frames[this.frames.length - 1];
    const cda = tag.uri === HL7_V3_NS || tag.uri === "";
    if (!parent) {
      // CDA R2 §1.1: the root is ClinicalDocument in urn:hl7-org:v3. A lone C-CDA section (as the
      // HL7 C-CDA-Examples are published) is read too.
      if (!cda || (tag.local !== "ClinicalDocument" && tag.local !== "section")) {
        const { line, column, location } = this.where();
        this.done = true;
        this.issue(
          location,
          "not_ccda",
          "error",
          `This is not a C-CDA document: the root element (line ${line}, column ${column}) is <${tag.name}>${tag.uri ? ` in namespace ${tag.uri}` : ""}, not <ClinicalDocument xmlns="urn:hl7-org:v3">.`,
        );
        return;
      }
    }
    let path: string;
    if (parent) parent.elements += 1;
    const known = parent?.counts.get(tag.name);
    if (parent && known === undefined && parent.counts.size >= MAX_DISTINCT_NAMES) {
      // Past MAX_DISTINCT_NAMES child names: located by position among all children.
      path = `${parent.path}/*[${parent.elements}]`;
    } else {
      const count = (known ?? 0) + 1;
      parent?.counts.set(tag.name, count);
      const indexed =
        count > 1 || (REPEATING.has(tag.local) && !(tag.local === "component" && parent?.local === "ClinicalDocument"));
      path = `${parent?.path ?? ""}/${tag.name}${indexed ? `[${count}]` : ""}`;
    }
    const frame: Frame = { name: tag.name, local: tag.local, cda, path, counts: new Map(), elements: 0 };

    if (this.capture) {
      this.captureElement(tag, frame, cda);
    } else if (cda) {
      this.structure(tag, frame);
    }
    this.frames.push(frame);
  }

  /**
   * The header names who sent the document (CDA R2 §4.2.2): the custodian's organization
   * (`custodian/assignedCustodian/representedCustodianOrganization/id`) wins over the author's
   * (`author/assignedAuthor/representedOrganization/id`); its `root^extension` names local codes.
   */
  private senderId(root: string, extension: string | undefined): void {
    const path = this.frames.map((f) => f.local).join("/");
    const id = extension === undefined || extension === "" ? root : `${root}^${extension}`;
    if (path === "ClinicalDocument/custodian/assignedCustodian/representedCustodianOrganization") {
      if (!this.custodianSeen) this.entries.sender = id;
      this.custodianSeen = true;
    } else if (path === "ClinicalDocument/author/assignedAuthor/representedOrganization") {
      if (!this.custodianSeen && this.entries.sender === "") this.entries.sender = id;
    }
  }

  /** Document structure outside entries: sections, their template ids, code and title, and entry starts. */
  private structure(tag: SaxesTagNS, frame: Frame): void {
    const section = this.sections[this.sections.length - 1];
    const inSection = section !== undefined && section.depth === this.frames.length - 1;
    const attrs = plainAttributes(tag);
    if (tag.local === "id" && attrs.root) this.senderId(attrs.root, attrs.extension);
    switch (tag.local) {
      case "section": {
        const created: Section = {
          depth: this.frames.length,
          path: frame.path,
          templateIds: [],
          title: "",
          entries: 0,
        };
        if (attrs.nullFlavor) created.nullFlavor = attrs.nullFlavor;
        this.sections.push(created);
        return;
      }
      case "nonXMLBody":
        this.issue(
          frame.path,
          "non_xml_body",
          "info",
          "The document body is unstructured (nonXMLBody): nothing to map.",
        );
        return;
    }
    if (!inSection || !section) return;
    switch (tag.local) {
      case "templateId":
        if (attrs.root && section.templateIds.length < MAX_SECTION_TEMPLATE_IDS) section.templateIds.push(attrs.root);
        return;
      case "code":
        if (attrs.code) section.code = attrs.code;
        if (attrs.codeSystem) section.codeSystem = attrs.codeSystem;
        return;
      case "title":
        this.titleOf = section;
        return;
      case "entry": {
        section.entries++;
        const kind = sectionKind(section.templateIds, section.code, section.codeSystem);
        if (!kind) return;
        const root = element(tag, frame, true);
        frame.element = root;
        const text = attributeChars(tag);
        this.capture = { root, depth: this.frames.length, kind, elements: 1, text, overflow: text > MAX_ENTRY_TEXT };
        return;
      }
    }
  }

  private captureElement(tag: SaxesTagNS, frame: Frame, cda: boolean): void {
    const capture = this.capture;
    if (!capture || capture.overflow) return;
    const parent = this.frames[this.frames.length - 1]?.element;
    if (!parent) return;
    capture.text += attributeChars(tag);
    if (++capture.elements > MAX_ENTRY_ELEMENTS || capture.text > MAX_ENTRY_TEXT) {
      capture.overflow = true;
      return;
    }
    const created = element(tag, frame, cda);
    parent.children.push(created);
    frame.element = created;
  }

  private text(text: string): void {
    if (this.done) return;
    const capture = this.capture;
    if (capture) {
      const top = this.frames[this.frames.length - 1]?.element;
      if (!top || capture.overflow) return;
      capture.text += text.length;
      if (capture.text > MAX_ENTRY_TEXT) capture.overflow = true;
      else top.text += text;
    } else if (this.titleOf && this.titleOf.title.length < MAX_SECTION_TITLE) {
      this.titleOf.title = (this.titleOf.title + text).slice(0, MAX_SECTION_TITLE);
    }
  }

  private close(): void {
    if (this.done) return;
    const frame = this.frames.pop();
    if (!frame) return;
    const depth = this.frames.length;
    const capture = this.capture;
    if (capture && capture.depth === depth) {
      this.capture = null;
      if (capture.overflow) {
        this.issue(
          frame.path,
          "entry_too_large",
          "error",
          `The entry has more than ${MAX_ENTRY_ELEMENTS} elements or ${MAX_ENTRY_TEXT} characters of text and attributes; it was not mapped.`,
        );
      } else {
        this.entries.map(capture.root, capture.kind);
      }
      return;
    }
    if (this.titleOf && this.titleOf.depth === depth - 1 && frame.local === "title") this.titleOf = null;
    const section = this.sections[this.sections.length - 1];
    if (section && section.depth === depth && frame.local === "section") {
      this.sections.pop();
      this.sectionDone(section);
    }
  }

  /** One info issue per section that yields nothing: no information, narrative only, or not supported. */
  private sectionDone(section: Section): void {
    const kind = sectionKind(section.templateIds, section.code, section.codeSystem);
    const title = section.title.replace(/\s+/g, " ").trim();
    const named = title ? `"${title}"` : section.templateIds[0] ? `(templateId ${section.templateIds[0]})` : "";
    if (kind) {
      if (section.nullFlavor && section.entries === 0) {
        this.issue(
          section.path,
          "no_information",
          "info",
          `The ${SECTION_LABEL[kind]} section ${named} has nullFlavor ${section.nullFlavor}: no information.`,
        );
      } else if (section.entries === 0) {
        this.issue(
          section.path,
          "no_entries",
          "info",
          `The ${SECTION_LABEL[kind]} section ${named} has no coded entries.`,
        );
      }
    } else if (section.entries > 0) {
      this.issue(
        section.path,
        "unsupported_section",
        "info",
        `The section ${named} is not mapped (Vital Signs, Results, Medications and Problem sections are); its ${section.entries} ${section.entries === 1 ? "entry was" : "entries were"} ignored.`,
      );
    }
  }
}

/** The characters of a tag's attributes, names and values (what the entry cap counts besides text). */
function attributeChars(tag: SaxesTagNS): number {
  let chars = 0;
  for (const attribute of Object.values(tag.attributes)) chars += attribute.name.length + attribute.value.length;
  return chars;
}

/** Attributes without a namespace, by local name. */
function plainAttributes(tag: SaxesTagNS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.prefix === "" && attribute.local !== "xmlns") out[attribute.local] = attribute.value;
  }
  return out;
}

function element(tag: SaxesTagNS, frame: Frame, cda: boolean): XmlElement {
  let xsiType: string | null = null;
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.uri === XSI_NS && attribute.local === "type") {
      // `xsi:type="v3:PQ"` and `xsi:type="PQ"` name the same type.
      const value = attribute.value.trim();
      xsiType = value.slice(value.indexOf(":") + 1);
    }
  }
  const created: XmlElement = {
    name: tag.local,
    cda,
    attributes: plainAttributes(tag),
    xsiType,
    text: "",
    children: [],
    path: frame.path,
  };
  return created;
}
