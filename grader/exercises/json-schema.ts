/** Generates exercises/exercise.schema.json from the zod schemas, so authors get completion and checks in their editor. */
import { z } from "zod";
import { allKinds } from "./kinds";

export const JSON_SCHEMA_FILE = "exercise.schema.json";

/** The JSON Schema text of an exercise.yaml: any registered kind's manifest. */
export async function exerciseJsonSchemaText(): Promise<string> {
  const kinds = await allKinds();
  const schemas = kinds.map((k) => k.manifestSchema);
  const [first, ...rest] = schemas;
  if (!first) throw new Error("no exercise kind is registered");
  const manifest = rest.length === 0 ? first : z.union([first, ...rest]);
  // draft-7 is the dialect editors (yaml-language-server, VS Code) understand best.
  const json = z.toJSONSchema(manifest, { target: "draft-7", unrepresentable: "any" });
  const titled = {
    ...json,
    title: "Flagship exercise manifest (exercise.yaml)",
    description: `Generated from the zod schemas in grader/exercises by \`npx flagship exercises schema\`; do not edit by hand. Kinds: ${kinds
      .map((k) => `${k.kind} (${k.description})`)
      .join("; ")}`,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}
