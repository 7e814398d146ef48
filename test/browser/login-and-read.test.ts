import { beforeAll, describe, expect, it } from "vitest";
import { useBrowserApp } from "../helpers/browser";
import { seedDemoCourseIfEmpty, type DemoAccount } from "../../server/seed";

const app = useBrowserApp();
let accounts: DemoAccount[];

beforeAll(async () => {
  accounts = await seedDemoCourseIfEmpty(app.t.db);
});

describe("a student in the browser", () => {
  it("signs in with a demo account and reads a module, with no CSP violations", async () => {
    const student = accounts.find((a) => a.role === "student")!;
    const page = await app.browser.newPage();
    const cspErrors: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") cspErrors.push(msg.text());
    });

    await page.goto(`${app.url}/modules/dark-launches`);
    await expect.poll(() => page.url()).toContain("/login");
    await page.getByLabel("Email").fill(student.email);
    await page.getByLabel("Password").fill(student.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.waitForURL(`${app.url}/modules/dark-launches`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Dark launches");
    await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Key takeaways" }).click();
    expect(page.url()).toContain("#key-takeaways");

    await page
      .getByRole("link", { name: /Observing/ })
      .last()
      .click();
    await page.waitForURL(/observing-rollouts/);

    // On a phone the table of contents starts folded, so the lecture begins on the first screen.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${app.url}/modules/dark-launches`);
    const toc = page.getByRole("navigation", { name: "On this page" });
    expect(await toc.getByRole("link", { name: "Key takeaways" }).isVisible()).toBe(false);
    await toc.getByText("On this page").click();
    expect(await toc.getByRole("link", { name: "Key takeaways" }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.goto(`${app.url}/`);
    expect(await page.getByText(/2 of 11 modules opened/).count()).toBe(1);
    // The stylesheet loaded (the CSP allows it): the header is styled dark.
    const headerColor = await page.locator(".site-header").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(headerColor).toBe("rgb(16, 24, 40)");
    expect(cspErrors).toEqual([]);
    await page.close();
  });

  it("shows a student 403 on the roster", async () => {
    const student = accounts.find((a) => a.role === "student")!;
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await app.signIn(page, student.email, student.password);
    const res = await page.goto(`${app.url}/admin/users`);
    expect(res?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Not allowed");
    await context.close();
  });
});
