/**
 * The pages a user lands on after posting a form, which no route walk reaches: a graded structured
 * answer with feedback, a code submission once the queue has graded it, a TA's saved override, a
 * deadline change's preview and a failed sign-in. Each is posted through the real form in the
 * browser, then checked (axe-core, no sideways scroll) at 390 px and, the window widened without
 * posting again, at 1280 px.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { parse as parseYaml } from "yaml";
import { saveDraft } from "../../server/submissions/drafts";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";
import { checkOpenPage, expectNoFindings, noFindings, roleContext, widths, type Findings } from "./page-checks";

const app = useBrowserApp({ env: { GRADER_WORKERS: "1" }, startQueue: true });

/** Checks the page a post landed on at each width, narrowest first (it was posted at 390 px). */
async function checkLanding(page: Page, label: string, found: Findings): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 844 });
    await checkOpenPage(page, label, found);
  }
}

async function person(role: "student" | "ta" | "instructor"): Promise<{ id: number; email: string; password: string }> {
  const { user, password } = await makeUser(app.t.db, role);
  return { id: user.id, email: user.email, password };
}

/** A golden sample the rubric marks down (the first by name), so the result page shows feedback. */
function wrongAnswer(exerciseId: string): unknown {
  const dir = `${app.t.course.dirs.exercisesDir}/${exerciseId}/samples`;
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()[0]!;
  return (parseYaml(readFileSync(`${dir}/${file}`, "utf8")) as { answer: unknown }).answer;
}

describe("the pages a form post lands on", () => {
  it("a graded structured answer, a graded code submission, a saved override, a deadline preview, a failed sign-in", async () => {
    const found = noFindings();
    const student = await person("student");

    // A structured answer with mistakes in it: the draft holds it, the student posts the form.
    saveDraft(app.t.db, student.id, "rollout-plan", wrongAnswer("rollout-plan"));
    const asStudent = await roleContext(app.browser, app.url, student);
    let page = asStudent.page;
    await page.goto(`${app.url}/exercises/rollout-plan`);
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/\d+$/);
    const structuredId = Number(page.url().split("/").pop());
    await page.getByRole("heading", { name: /^Submission \d+: [\d.]+ \/ [\d.]+/ }).waitFor();
    expect(await page.locator(".test-fail").count()).toBeGreaterThan(0);
    await checkLanding(page, "structured result", found);

    // The starter code as it comes, posted to the queue; the page follows it until it is graded.
    await page.setViewportSize({ width: widths[0], height: 844 });
    await page.goto(`${app.url}/exercises/checkout-fallbacks`);
    await page.locator(".code-editor .cm-content").waitFor();
    await page.getByRole("button", { name: "Submit for grading" }).click();
    await page.waitForURL(/\/submissions\/\d+$/);
    await page.getByRole("heading", { name: /^Submission \d+: [\d.]+ \/ [\d.]+/ }).waitFor({ timeout: 300_000 });
    await checkLanding(page, "code result", found);
    await asStudent.context.close();

    // A TA overrides the structured score; the page the form returns to confirms it.
    const asTa = await roleContext(app.browser, app.url, await person("ta"));
    page = asTa.page;
    await page.goto(`${app.url}/staff/submissions/${structuredId}`);
    await page.getByLabel(/^Score \(0–/).fill("10");
    await page.getByLabel("Reason (required)").fill("The plan names a rollback for every step after all");
    await page.getByRole("button", { name: "Set override" }).click();
    await page.waitForURL(`${app.url}/staff/submissions/${structuredId}`);
    await page.getByText("Score overridden to 10 by").waitFor();
    await checkLanding(page, "override saved", found);
    await asTa.context.close();

    // An instructor moves the due date into the past: the preview lists the score it would lower.
    const asInstructor = await roleContext(app.browser, app.url, await person("instructor"));
    page = asInstructor.page;
    await page.goto(`${app.url}/admin/deadlines/rollout-plan`);
    await page
      .getByLabel("Due (UTC)", { exact: true })
      .fill(new Date(Date.now() - 30 * 3600_000).toISOString().slice(0, 16));
    await page.getByLabel("Late policy", { exact: true }).selectOption("penalty");
    await page.getByLabel("Penalty per day (% of points)").fill("25");
    await page.getByRole("button", { name: "Save deadline" }).click();
    await page.getByRole("heading", { name: "Check the scores this change moves" }).waitFor();
    await checkLanding(page, "deadline preview", found);
    await asInstructor.context.close();

    // A wrong password: the login page again, with the error.
    const anonymous = await roleContext(app.browser, app.url);
    page = anonymous.page;
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(student.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await checkLanding(page, "failed sign-in", found);
    await anonymous.context.close();

    expectNoFindings(found);
  }, 900_000);
});
