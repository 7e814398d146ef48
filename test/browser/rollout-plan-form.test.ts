import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";

const app = useBrowserApp();

async function signInAsNewStudent(page: Page): Promise<number> {
  const { user, password } = await makeUser(app.t.db);
  await app.signIn(page, user.email, password);
  return user.id;
}

function lastAnswer(userId: number): { steps: Array<{ action: string; percent?: number }> } {
  const row = app.t.db
    .prepare("SELECT answer FROM submissions WHERE user_id = ? ORDER BY id DESC LIMIT 1")
    .pluck()
    .get(userId) as string;
  return JSON.parse(row) as { steps: Array<{ action: string; percent?: number }> };
}

describe("the rollout-plan form", () => {
  it("adds, reorders and removes steps in place, submits, and shows per-rule feedback", async () => {
    const page = await app.browser.newPage();
    page.setDefaultTimeout(5000);
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    const userId = await signInAsNewStudent(page);
    await page.goto(`${app.url}/exercises/rollout-plan`);

    await page.getByLabel("Existing features with the flag off").check();
    await page.getByLabel("Existing features with the flag on").check();

    await page.locator("#f-steps-0-action").selectOption("dark-deploy");
    await page.locator('#f-steps-0 input[value="booking-errors"]').check();
    await page.locator("#f-steps-0-rollback").selectOption("redeploy");

    const addStep = page.getByRole("button", { name: "+ Add step" });
    await addStep.click();
    await page.locator("#f-steps-1-action").selectOption("ramp");
    await page.locator("#f-steps-1-percent").fill("50");
    // Every step needs a rollback (the form requires it, as the rubric does).
    await page.locator("#f-steps-1-rollback").selectOption("ramp-down");
    await addStep.click();
    await page.locator("#f-steps-2-action").selectOption("dogfood");
    await page.locator("#f-steps-2-rollback").selectOption("flag-off");
    // Dogfooding belongs before the public ramp: move it up one place.
    await page.getByRole("button", { name: "Move up step 3" }).click();
    expect(await page.locator("#f-steps-1-action").inputValue()).toBe("dogfood");
    expect(await page.locator("#f-steps-2-percent").inputValue()).toBe("50");
    // Each step's summary line names its action and percentage, renumbered with it.
    expect(await page.locator("#f-steps-2 > details > summary").innerText()).toBe(
      "Step 3: Ramp the flag to a percentage of riders, 50%",
    );

    await addStep.click();
    await page.locator("#f-steps-3-action").selectOption("cleanup");
    await page.getByRole("button", { name: "Remove step 4" }).click();
    expect(await page.locator(".list-item").count()).toBe(3);
    // The form still works without a page load: nothing was posted yet.
    expect(page.url()).toBe(`${app.url}/exercises/rollout-plan`);

    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/\d+$/);
    expect(await page.getByRole("heading", { name: /^Submission \d+: [\d.]+ \/ [\d.]+/ }).count()).toBe(1);
    expect(await page.locator(".test-pass").count()).toBeGreaterThan(0);
    expect(await page.locator(".test-fail").count()).toBeGreaterThan(0);
    expect(await page.locator(".test-fail .hint").count()).toBeGreaterThan(0);
    expect(await page.locator('.test-fail a[href^="/modules/"]').count()).toBeGreaterThan(0);

    const answer = lastAnswer(userId);
    expect(answer.steps.map((s) => s.action)).toEqual(["dark-deploy", "dogfood", "ramp"]);
    expect(answer.steps[2]?.percent).toBe(50);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("works without JavaScript: the list buttons round-trip through the server", async () => {
    const context = await app.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const userId = await signInAsNewStudent(page);
    await page.goto(`${app.url}/exercises/rollout-plan`);
    await page.locator("#f-steps-0-action").selectOption("dark-deploy");
    await page.locator("#f-steps-0-rollback").selectOption("redeploy");
    await page.getByRole("button", { name: "+ Add step" }).click();
    await page.waitForURL(/#field-steps$/);
    await page.locator("#f-steps-1-action").selectOption("dogfood");
    await page.locator("#f-steps-1-rollback").selectOption("flag-off");
    await page.getByRole("button", { name: "Move up step 2" }).click();
    await page.waitForLoadState();
    expect(await page.locator("#f-steps-0-action").inputValue()).toBe("dogfood");
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/\d+$/);
    expect(await page.locator(".test").count()).toBeGreaterThan(0);
    expect(lastAnswer(userId).steps.map((s) => s.action)).toEqual(["dogfood", "dark-deploy"]);
    await context.close();
  });
});
