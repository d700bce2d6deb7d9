// Writing adopted values into Pulumi.<stack>.yaml through the yaml Document API: every other key, every
// comment and every `secure:` value already there survives; only the keys adoption sets are replaced.
import { isMap, isScalar, parse, parseDocument, visit, type Document } from "yaml";
import { AdoptError } from "./export-format";

/** Config values of a stack file as YAML parses them (`secure:` values as { secure }). */
export function stackFileConfig(text: string | undefined, label: string): Record<string, unknown> {
  if (text === undefined) return {};
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new AdoptError(`${label} is not valid YAML: ${(error as Error).message}`);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) throw new AdoptError(`${label}: "config" must be a map`);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) result[key.includes(":") ? key : `tenant:${key}`] = value;
  return result;
}

/**
 * The stack file with `values` set under `config`. A new file gets `header` as its first comment. Secrets are
 * never among the values (adoption does not produce them); a `secure:` value is refused as a bug.
 */
export function mergeStackFile(existingText: string | undefined, values: Record<string, unknown>, header: string): string {
  const fresh = existingText === undefined || existingText.trim() === "";
  const headerLines = header
    .split("\n")
    .map((line) => `#${line}`)
    .join("\n");
  const doc: Document = parseDocument(fresh ? `${headerLines}\nconfig: {}\n` : existingText);
  if (!isMap(doc.get("config"))) doc.set("config", doc.createNode({}));
  const config = doc.get("config");
  if (isMap(config)) config.flow = false;
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && typeof value === "object" && "secure" in value) throw new Error(`adopt must never write a secret (${key})`);
    const node = doc.createNode(value);
    // The house style of the committed stack files: short lists of plain values on one line.
    visit(node, {
      Seq(_, seq) {
        if (seq.items.length > 0 && seq.items.every((item) => isScalar(item)) && JSON.stringify(seq.toJSON()).length <= 100)
          seq.flow = true;
      },
    });
    doc.setIn(["config", key], node);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
