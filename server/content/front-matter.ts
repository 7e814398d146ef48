import { parse as parseYaml } from "yaml";

/** Splits `---\nyaml\n---\nbody` into its parts; a file without front matter has an empty header. */
export function splitFrontMatter(text: string): { data: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { data: {}, body: text };
  return { data: parseYaml(match[1] ?? "") as unknown, body: text.slice(match[0].length) };
}
