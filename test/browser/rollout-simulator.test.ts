/**
 * A student runs a ramp day in a real browser: starts it on a seed, reads both arms, holds and then
 * rolls back citing evidence, and sees the grade. The page in progress, with a field error and with
 * the grade passes the same checks as every page (axe-core, no sideways scroll) at 390 and 1280 px;
 * without JavaScript the same day can be played with plain form posts.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { scenarioForSeed } from "../../grader/rollout-sim/interactive";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";
import { checkOpenPage, expectNoFindings, noFindings, roleContext, widths, type Findings } from "./page-checks";

const app = useBrowserApp();

const PAGE = "/exercises/rollout-simulator/simulator";

function seedPlaying(id: string): number {
  for (let seed = 1; seed < 1000; seed++) if (scenarioForSeed(seed).id === id) return seed;
  throw new Error(`no seed plays ${id}`);
}

async function checkBothWidths(page: Page, label: string, found: Findings): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 844 });
    await checkOpenPage(page, label, found);
  }
  await page.setViewportSize({ width: widths[0], height: 844 });
}

async function student(): Promise<{ email: string; password: string }> {
  const { user, password } = await makeUser(app.t.db, "student");
  return { email: user.email, password };
}

describe("running a ramp day in the browser", () => {
  it("starts a day on a seed, holds and rolls back citing evidence, and sees the grade", async () => {
    const found = noFindings();
    const seed = seedPlaying("error-regression");
    const { context, page } = await roleContext(app.browser, app.url, await student());
    await page.goto(`${app.url}/exercises/rollout-simulator`);
    await page.getByRole("link", { name: "Run a ramp day yourself" }).click();
    await page.waitForURL(`${app.url}${PAGE}`);
    await checkBothWidths(page, "simulator, no day yet", found);

    await page.getByLabel("Seed (optional)").fill(String(seed));
    await page.getByRole("button", { name: "Start a ramp day" }).click();
    await page.getByRole("heading", { name: `Ramp day on seed ${seed}` }).waitFor();
    await expect.poll(() => page.getByRole("img", { name: /, whole service$/ }).count(), { timeout: 60_000 }).toBe(6);
    await expect
      .poll(() => page.getByRole("region", { name: "Data for: Error rate, whole service" }).getByRole("row").count(), {
        timeout: 60_000,
      })
      .toBe(2);
    await checkBothWidths(page, "simulator, day in progress", found);

    // With JavaScript, choosing a cohort shows it at once.
    await page.getByLabel("Show", { exact: true }).selectOption("city:harbor");
    await page.waitForURL(/group=city%3Aharbor/);
    await page.getByRole("img", { name: "Error rate, city: harbor" }).waitFor();

    // A decision without its evidence is refused at the field.
    await page.getByRole("button", { name: "Hold 10 more minutes" }).click();
    await page
      .locator("#decision-metric-error")
      .getByText("Metric: choose the metric your decision rests on")
      .waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("Nothing was recorded");
    await checkBothWidths(page, "simulator, decision without evidence", found);

    await page.getByLabel("Evidence: metric").selectOption("errorRate");
    await page.getByLabel("Evidence: where").selectOption("all");
    await page.getByRole("button", { name: "Hold 10 more minutes" }).click();
    await page.getByRole("heading", { name: "Your decision at minute 20" }).waitFor();
    await page.getByLabel("Evidence: metric").selectOption("errorRate");
    await page.getByLabel("Evidence: where").selectOption("all");
    await page.getByLabel("What you saw (optional)").fill("treatment errors about three times control's");
    await page.getByRole("button", { name: "Roll back" }).click();
    await page.getByRole("heading", { name: "Score: 6 / 6" }).waitFor();
    const log = page.locator("table.decision-log");
    await expect.poll(() => log.getByRole("row").count(), { timeout: 60_000 }).toBe(3);
    expect(await log.textContent()).toContain("treatment errors about three times control's");
    expect(await page.textContent("#run-result")).toContain("A real error-rate regression");
    await checkBothWidths(page, "simulator, day graded", found);
    await context.close();
    expectNoFindings(found);
  }, 600_000);

  it("plays a day to its end without JavaScript", async () => {
    const person = await student();
    const context = await app.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: widths[0], height: 844 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${app.url}${PAGE}`);
    await page.getByLabel("Seed (optional)").fill(String(seedPlaying("noise")));
    await page.getByRole("button", { name: "Start a ramp day" }).click();
    for (const next of [5, 25, 50, 100]) {
      await page.getByLabel("Evidence: metric").selectOption("errorRate");
      await page.getByRole("button", { name: `Advance to ${next}%` }).click();
    }
    await page.getByRole("heading", { name: "Score: 6 / 6" }).waitFor();
    await context.close();
  }, 600_000);
});
