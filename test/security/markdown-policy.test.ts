/**
 * The sanitized-Markdown policy: links never hand the linked page a way back (noopener), the
 * referring page (noreferrer) or our ranking (nofollow); images load only from the site's own static
 * files or an allow-listed https host, since an image is a request made without a click.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../server/content/markdown";
import { loadModules } from "../../server/content/modules";
import { loadConfig } from "../../server/config";
import { makeTestApp, makeUser, signIn, type TestApp } from "../helpers/app";

describe("links", () => {
  it("get rel=noopener noreferrer nofollow, whatever rel the author wrote", () => {
    const { html } = renderMarkdown(
      [
        "[out](https://example.org/page)",
        '<a href="https://example.org/x" rel="opener" target="_blank">raw</a>',
        "[in](/modules/dark-launches)",
      ].join("\n\n"),
    );
    const anchors = html.match(/<a [^>]*>/g) ?? [];
    expect(anchors).toHaveLength(3);
    for (const a of anchors) expect(a).toContain('rel="noopener noreferrer nofollow"');
    expect(html).not.toContain('opener"');
    expect(html).not.toContain("target=");
  });
});

describe("images", () => {
  const cases: Array<[string, boolean]> = [
    ["/static/favicon.svg", true],
    ["/static/figures/ramp.png", true],
    ["https://images.example.edu/ramp.png", true],
    ["https://IMAGES.example.edu/ramp.png", true],
    ["https://tracker.example.com/pixel.gif", false],
    ["https://images.example.edu.evil.com/x.png", false],
    ["https://user:pw@images.example.edu/x.png", false],
    ["http://images.example.edu/x.png", false],
    ["//images.example.edu/x.png", false],
    ["/logout", false],
    ["/admin/users/3/active", false],
    ["../admin/export/grades.csv", false],
    ["/static/../admin/users", false],
    ["/static//evil.com/x.png", false],
    ["pixel.gif", false],
    ["data:image/png;base64,AAAA", false],
  ];
  for (const [src, allowed] of cases) {
    it(`${allowed ? "keeps" : "replaces"} <img src="${src}">`, () => {
      const { html } = renderMarkdown(`![a ramp](${src})\n\n<img src="${src}" alt="raw">`, {
        imageHosts: ["images.example.edu"],
      });
      if (allowed) {
        expect(html.match(/<img /g)).toHaveLength(2);
      } else {
        expect(html).not.toContain("<img");
        expect(html).toContain('<span class="image-blocked">[image: a ramp]</span>');
        expect(html).toContain('<span class="image-blocked">[image: raw]</span>');
      }
    });
  }

  it("allows no outside host at all without the setting", () => {
    const { html } = renderMarkdown("![x](https://images.example.edu/ramp.png)");
    expect(html).not.toContain("<img");
  });

  it("reads the allow-list from MARKDOWN_IMAGE_HOSTS and names a bad value", () => {
    expect(loadConfig({ MARKDOWN_IMAGE_HOSTS: " Images.Example.edu, cdn.example.org " }).MARKDOWN_IMAGE_HOSTS).toEqual([
      "images.example.edu",
      "cdn.example.org",
    ]);
    expect(loadConfig({}).MARKDOWN_IMAGE_HOSTS).toEqual([]);
    expect(() => loadConfig({ MARKDOWN_IMAGE_HOSTS: "https://x.example.org/" })).toThrow(/MARKDOWN_IMAGE_HOSTS/);
  });
});

describe("on the pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    const content = mkdtempSync(join(tmpdir(), "flagship-md-policy-"));
    writeFileSync(
      join(content, "01-images.md"),
      "---\nid: images\ntitle: Images\norder: 1\nsummary: s\nobjectives: [o]\n---\n## Figures\n\n![allowed](https://images.example.edu/a.png)\n\n![tracked](https://tracker.example.com/p.gif)\n\n[read more](https://example.org)\n",
    );
    expect(loadModules(content).errors).toEqual([]);
    t = await makeTestApp({ CONTENT_DIR: content, MARKDOWN_IMAGE_HOSTS: "images.example.edu" });
  });
  afterAll(() => t.close());

  it("renders a module with the policy and a CSP that allows the same image sources", async () => {
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const page = await agent.get("/modules/images");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<img src="https://images.example.edu/a.png" alt="allowed" />');
    expect(page.text).not.toContain("tracker.example.com");
    expect(page.text).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow">read more</a>');
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/img-src 'self' data: https:\/\/images\.example\.edu(;|$)/);
  });
});
