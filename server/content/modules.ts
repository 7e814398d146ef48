/**
 * Loads the lecture modules from content/*.md. Each file is checked on its own; a broken file is
 * reported with its path and field and skipped, and the rest of the course still loads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { splitFrontMatter } from "./front-matter";
import { defaultMarkdownPolicy, renderMarkdown, type MarkdownPolicy, type TocEntry } from "./markdown";

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase words joined by hyphens"),
  title: z.string().min(1),
  order: z.number().int().positive(),
  summary: z.string().min(1),
  objectives: z.array(z.string().min(1)).min(1, "list at least one objective"),
});

export interface Module {
  id: string;
  title: string;
  order: number;
  summary: string;
  objectives: string[];
  html: string;
  toc: TocEntry[];
  file: string;
}

export interface LoadedModules {
  modules: Module[];
  errors: string[];
}

export function loadModules(dir: string, policy: MarkdownPolicy = defaultMarkdownPolicy): LoadedModules {
  const modules: Module[] = [];
  const errors: string[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f.toLowerCase() !== "readme.md")
    .sort();
  for (const name of files) {
    const file = join(dir, name);
    try {
      const { data, body } = splitFrontMatter(readFileSync(file, "utf8"));
      const parsed = frontMatterSchema.safeParse(data);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push(`${file}: ${issue.path.join(".") || "front matter"}: ${issue.message}`);
        }
        continue;
      }
      if (modules.some((m) => m.id === parsed.data.id)) {
        errors.push(`${file}: id: "${parsed.data.id}" is already used by another module`);
        continue;
      }
      const { html, toc } = renderMarkdown(body, policy);
      modules.push({ ...parsed.data, html, toc, file });
    } catch (err) {
      errors.push(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  modules.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { modules, errors };
}
