import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModules } from "../../../server/content/modules";
import { renderMarkdown } from "../../../server/content/markdown";
import { makeTestApp, makeUser, signIn, type TestApp } from "../../helpers/app";

const requiredModules = [
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
];

describe("course content", () => {
  const { modules, errors } = loadModules("content");

  it("loads every module without errors, in the lecture's order", () => {
    expect(errors).toEqual([]);
    expect(modules.map((m) => m.id)).toEqual(requiredModules);
    expect(modules.map((m) => m.order)).toEqual(requiredModules.map((_, i) => i + 1));
  });

  it("gives every module objectives, worked sections, key takeaways and a practice section", () => {
    for (const m of modules) {
      expect(m.objectives.length, m.id).toBeGreaterThan(0);
      const slugs = m.toc.map((e) => e.slug);
      expect(slugs, m.id).toContain("key-takeaways");
      expect(slugs, m.id).toContain("practise");
      expect(m.toc.length, m.id).toBeGreaterThan(4);
    }
  });
});

describe("module pages", () => {
  let t: TestApp;
  let agent: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    t = await makeTestApp();
    const { user, password } = await makeUser(t.db);
    agent = await signIn(t.app, user.email, password);
  });
  afterAll(() => t.close());

  it("renders every module with a table of contents and previous/next links", async () => {
    for (const [i, id] of requiredModules.entries()) {
      const res = await agent.get(`/modules/${id}`);
      expect(res.status, id).toBe(200);
      expect(res.text).toContain('aria-label="On this page"');
      expect(res.text).toContain('id="key-takeaways"');
      if (i > 0) expect(res.text).toContain(`rel="prev" href="/modules/${requiredModules[i - 1]}"`);
      if (i < requiredModules.length - 1)
        expect(res.text).toContain(`rel="next" href="/modules/${requiredModules[i + 1]}"`);
    }
  });

  it("shows reading progress on the course home", async () => {
    const home = await agent.get("/");
    expect(home.text).toContain(`${requiredModules.length} of ${requiredModules.length} modules opened`);
  });

  it("answers 404 for a module that does not exist", async () => {
    const res = await agent.get("/modules/nope");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Page not found");
  });
});

describe("Markdown sanitizing", () => {
  it("makes scripts, event handlers and javascript: links inert", () => {
    const { html } = renderMarkdown(
      [
        "# Title",
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(2)">',
        "[click](javascript:alert(3))",
        '<a href="javascript:alert(4)">raw</a>',
        '<iframe src="https://evil.example"></iframe>',
        "[ok](https://example.org)",
      ].join("\n\n"),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).toContain('href="https://example.org"');
  });

  it("skips a broken module file and still serves the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "flagship-content-"));
    writeFileSync(
      join(dir, "01-good.md"),
      "---\nid: good\ntitle: Good\norder: 1\nsummary: Fine.\nobjectives: [Learn]\n---\n## A\n",
    );
    writeFileSync(join(dir, "02-bad.md"), "---\nid: Bad Id\ntitle: Bad\norder: -1\nsummary: x\nobjectives: []\n---\n");
    writeFileSync(
      join(dir, "03-xss.md"),
      "---\nid: xss\ntitle: X\norder: 3\nsummary: x\nobjectives: [x]\n---\n<script>alert(1)</script>\n",
    );
    const { modules, errors } = loadModules(dir);
    expect(modules.map((m) => m.id)).toEqual(["good", "xss"]);
    expect(modules[1]?.html).not.toContain("<script");
    expect(errors.join("\n")).toContain("02-bad.md: id: must be lowercase words joined by hyphens");
    expect(errors.join("\n")).toContain("02-bad.md: order:");
    expect(errors.join("\n")).toContain("02-bad.md: objectives: list at least one objective");
  });
});
