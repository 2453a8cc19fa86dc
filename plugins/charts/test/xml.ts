/**
 * A strict XML reading of a chart, for tests: saxes (a conforming XML 1.0 + namespaces parser) throws on
 * anything that is not well-formed, and the result is a small element tree to count marks in.
 */
import { SaxesParser } from "saxes";

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its descendants'). */
  text: string;
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) {
      attributes[name] = typeof attribute === "string" ? attribute : attribute.value;
    }
    const element: XmlElement = { name: tag.local ?? tag.name, attributes, children: [], text: "" };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on("text", (text) => {
    const top = stack.at(-1);
    if (top !== undefined) top.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(xml).close();
  const [svg] = root.children;
  if (svg === undefined || root.children.length !== 1) throw new Error("not one root element");
  return svg;
}

/** Every element below (and including) `node`, depth first. */
export function all(node: XmlElement): XmlElement[] {
  return [node, ...node.children.flatMap(all)];
}

/** Elements carrying a class. */
export function byClass(node: XmlElement, cls: string): XmlElement[] {
  return all(node).filter((e) => (e.attributes.class ?? "").split(/\s+/).includes(cls));
}

/** All text in the tree, in document order. */
export function allText(node: XmlElement): string {
  return all(node)
    .map((e) => e.text)
    .join(" ");
}
