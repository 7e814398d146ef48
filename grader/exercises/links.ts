/**
 * Checks that every lecture link of an exercise (rubric rules of structured exercises) lands on a
 * real heading of a content/ page. Kept out of the loader on purpose: renaming a heading in the
 * lecture must not unload an exercise on the server; `flagship exercises check` and a test catch it.
 */
import { readModuleAnchors } from "./modules";
import { findRules } from "./rule-words";
import type { Exercise, LoadIssue } from "./types";

/** Every `/modules/<id>#<slug>` string found in an exercise's body, with where it sits. */
export function collectLinks(exercise: Exercise): { path: string; link: string }[] {
  const found: { path: string; link: string }[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") {
      if (/^\/modules\//.test(value)) found.push({ path, link: value });
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(exercise.body, "");
  return found;
}

export async function checkLinks(exercises: readonly Exercise[], contentDir: string): Promise<LoadIssue[]> {
  const modules = await readModuleAnchors(contentDir);
  const issues: LoadIssue[] = [];
  for (const exercise of exercises) {
    for (const { path, link } of collectLinks(exercise)) {
      const match = /^\/modules\/([a-z0-9-]+)#([a-z0-9-]+)$/.exec(link);
      const moduleId = match?.[1];
      const anchor = match?.[2];
      const page = moduleId ? modules.get(moduleId) : undefined;
      let problem: string | undefined;
      if (!moduleId || !anchor) problem = `"${link}" is not of the form /modules/<id>#<heading-slug>`;
      else if (!page) problem = `"${link}": no page in ${contentDir} has front matter id "${moduleId}"`;
      else if (!page.anchors.has(anchor)) problem = `"${link}": ${page.file} has no heading with anchor "#${anchor}"`;
      if (problem) issues.push({ file: exercise.manifestPath, path, message: problem });
    }
  }
  return issues;
}

/**
 * Every rule's link lands on a section that discusses the rule's subject: the rule has a `keyTerm`, and
 * the linked section (subsections included) uses it, ignoring case. Rules are found as the rubric
 * standard finds them (./rule-words.ts), so every kind is covered.
 */
export async function checkKeyTerms(exercises: readonly Exercise[], contentDir: string): Promise<LoadIssue[]> {
  const modules = await readModuleAnchors(contentDir);
  const issues: LoadIssue[] = [];
  for (const exercise of exercises) {
    for (const { path, rule } of findRules(exercise)) {
      const link = typeof rule.link === "string" ? rule.link : undefined;
      const match = link ? /^\/modules\/([a-z0-9-]+)#([a-z0-9-]+)$/.exec(link) : null;
      const section = match?.[1] && match[2] ? modules.get(match[1])?.sections.get(match[2]) : undefined;
      if (!link || section === undefined) continue; // checkLinks and checkRuleWords report these
      const at = (message: string) => issues.push({ file: exercise.manifestPath, path: `${path}.keyTerm`, message });
      if (typeof rule.keyTerm !== "string")
        at(`give the rule a keyTerm: a word or phrase its lecture section ${link} uses`);
      else if (!section.toLowerCase().includes(rule.keyTerm.toLowerCase()))
        at(
          `"${rule.keyTerm}" does not appear in the section ${link}; link to the section that discusses the rule, or fix the key term`,
        );
    }
  }
  return issues;
}
