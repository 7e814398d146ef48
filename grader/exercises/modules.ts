/**
 * Lecture modules as far as exercises care: the list of module ids (docs/ARCHITECTURE.md) and the
 * heading anchors of each content/*.md page, which rubric links point at.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import GithubSlugger from "github-slugger";
import { parse as parseYaml } from "yaml";

/** The module ids, in course order, as listed in docs/ARCHITECTURE.md. */
export const MODULE_IDS = [
  "why-releasing-is-hard",
  "dark-launches",
  "observing-rollouts",
  "databases-and-clients",
  "rpcs-and-formats",
  "deprecation",
  "rollout-plan",
  "microservices",
  "testing-your-service",
  "partial-failure",
  "testing-resilience",
] as const;

export interface ModuleAnchors {
  id: string;
  file: string;
  /** Slugs of the page's headings, as the page renders them (github-slugger, duplicates numbered). */
  anchors: Set<string>;
  /** Each heading's section text (subsections included), by slug. */
  sections: Map<string, string>;
}

/** Heading slugs of a Markdown page, skipping fenced code. Every heading level is slugged so duplicates are numbered as the renderer numbers them. */
export function headingSlugs(markdown: string): string[] {
  const slugger = new GithubSlugger();
  const slugs: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1];
      else if (fenceMatch[1] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) slugs.push(slugger.slug(heading[1]));
  }
  return slugs;
}

/**
 * The text of each section of a Markdown page by heading slug: from the heading to the next heading of
 * the same or a higher level, so a section includes its subsections.
 */
export function headingSections(markdown: string): Map<string, string> {
  const slugger = new GithubSlugger();
  const open: { slug: string; level: number; lines: string[] }[] = [];
  const sections = new Map<string, string>();
  const close = (level: number) => {
    while (open.length && (open[open.length - 1]?.level ?? 0) >= level) {
      const done = open.pop();
      if (done) sections.set(done.slug, done.lines.join("\n"));
    }
  };
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1];
      else if (fenceMatch[1] === fence) fence = undefined;
    }
    const heading = fence || fenceMatch ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading?.[1] && heading[2]) {
      close(heading[1].length);
      open.push({ slug: slugger.slug(heading[2]), level: heading[1].length, lines: [line] });
    } else {
      for (const section of open) section.lines.push(line);
    }
  }
  close(0);
  return sections;
}

function splitFrontMatter(text: string): { front: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { front: undefined, body: text };
  return { front: parseYaml(match[1] ?? ""), body: text.slice(match[0].length) };
}

/** Reads every content/*.md page; a missing folder gives an empty map (content is optional for grading). */
export async function readModuleAnchors(contentDir: string): Promise<Map<string, ModuleAnchors>> {
  const modules = new Map<string, ModuleAnchors>();
  let names: string[];
  try {
    names = (await readdir(contentDir)).filter((n) => n.endsWith(".md")).sort();
  } catch {
    return modules;
  }
  for (const name of names) {
    const file = join(contentDir, name);
    let page: { front: unknown; body: string };
    try {
      page = splitFrontMatter(await readFile(file, "utf8"));
    } catch {
      continue; // the course's own loader reports the page's broken front matter
    }
    const { front, body } = page;
    const id = typeof front === "object" && front !== null && "id" in front ? front.id : undefined;
    if (typeof id === "string")
      modules.set(id, { id, file, anchors: new Set(headingSlugs(body)), sections: headingSections(body) });
  }
  return modules;
}
