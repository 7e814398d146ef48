import { describe, expect, it } from "vitest";
import { checkLinks, loadExercises, readModuleAnchors } from "../../grader/exercises/index";
import { collectLinks } from "../../grader/exercises/links";

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
    const broken = { ...exercise, body: { rubric: [{ link: "/modules/testing-your-service#no-such-heading" }, { link: "/modules/no-such-module#x" }] } };
    const issues = await checkLinks([broken], "content");
    expect(issues.map((i) => i.path)).toEqual(["rubric[0].link", "rubric[1].link"]);
    expect(issues[0]?.message).toContain('has no heading with anchor "#no-such-heading"');
    expect(issues[1]?.message).toContain('no page in content has front matter id "no-such-module"');
  });
});
