import { describe, expect, it } from "vitest";
import { checkLinks, loadExercises, readModuleAnchors } from "../../grader/exercises/index";
import { checkKeyTerms, collectLinks } from "../../grader/exercises/links";
import { headingSections } from "../../grader/exercises/modules";
import { findRules } from "../../grader/exercises/rule-words";

describe("lecture links in rubrics", () => {
  it("every link lands on a heading of a content/ page (module id from front matter, slug from github-slugger)", async () => {
    const { exercises } = await loadExercises("exercises");
    const links = exercises.flatMap(collectLinks);
    expect(links.length).toBeGreaterThan(30);
    expect(await checkLinks(exercises, "content")).toEqual([]);
  });

  it("finds headings the way the page renders them, and reports a link to a missing heading", async () => {
    const modules = await readModuleAnchors("content");
    expect(modules.get("dark-launches")?.anchors.has("incremental-ramp")).toBe(true);
    const { exercises } = await loadExercises("exercises");
    const exercise = exercises.find((e) => e.id === "mock-drift");
    if (!exercise) throw new Error("mock-drift should load");
    const broken = {
      ...exercise,
      body: {
        rubric: [{ link: "/modules/testing-your-service#no-such-heading" }, { link: "/modules/no-such-module#x" }],
      },
    };
    const issues = await checkLinks([broken], "content");
    expect(issues.map((i) => i.path)).toEqual(["rubric[0].link", "rubric[1].link"]);
    expect(issues[0]?.message).toContain('has no heading with anchor "#no-such-heading"');
    expect(issues[1]?.message).toContain('no page in content has front matter id "no-such-module"');
  });

  it("every rule of every kind links to a section that uses the rule's key term", async () => {
    const { exercises } = await loadExercises("exercises");
    const rules = exercises.flatMap(findRules);
    // 50 rubric rules, 11 checkout rules, 8 dark-launch rules, 9 functional-tests rules.
    expect(rules.length).toBeGreaterThanOrEqual(78);
    expect(rules.every(({ rule }) => typeof rule.keyTerm === "string" && typeof rule.link === "string")).toBe(true);
    expect(await checkKeyTerms(exercises, "content")).toEqual([]);
  });

  it("reads a section with its subsections, and reports a key term the section does not use", async () => {
    const sections = headingSections(
      "# Title\nintro\n## A\nalpha\n### A1\nnested beta\n## B\ngamma\n```md\n## not a heading\n```\n",
    );
    expect(sections.get("a")).toContain("nested beta");
    expect(sections.get("a")).not.toContain("gamma");
    expect(sections.get("b")).toContain("## not a heading");
    expect(sections.has("not-a-heading")).toBe(false);

    const { exercises } = await loadExercises("exercises");
    const exercise = exercises.find((e) => e.id === "mock-drift");
    if (!exercise) throw new Error("mock-drift should load");
    const rule = { id: "r", points: 1, pass: "p", hint: "h", link: "/modules/observing-rollouts#hit-rate" };
    const broken = {
      ...exercise,
      body: { rubric: [{ ...rule, keyTerm: "denominator" }, { ...rule }, { ...rule, keyTerm: "hit" }] },
    };
    const issues = await checkKeyTerms([broken], "content");
    expect(issues.map((i) => i.path)).toEqual(["rubric[0].keyTerm", "rubric[1].keyTerm"]);
    expect(issues[0]?.message).toContain(
      '"denominator" does not appear in the section /modules/observing-rollouts#hit-rate',
    );
    expect(issues[1]?.message).toContain("give the rule a keyTerm");
  });
});
