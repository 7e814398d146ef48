/**
 * Feedback that teaches without handing over the answer, in a real browser: a failing rule shows what
 * is wrong in the student's own answer, the hint and the lecture link, but its right answer only once
 * the student has no attempts left (mock-drift: 5 attempts, revealAnswers left at its default).
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";
import { gradeAnswer } from "../../grader/exercises";
import { createSubmission, recordResult } from "../../server/submissions/submissions";

const app = useBrowserApp();

const REVEAL = "A downstream feature flag that is partially ramped; find it and pin it, or test both states.";

/** Fills mock-drift right except the flaky-test question, and submits. */
async function submitWrongFlakyCause(page: Page): Promise<void> {
  await page.goto(`${app.url}/exercises/mock-drift`);
  const choices: Record<string, string> = {
    "f-scenarios-passMismatch": "compatible",
    "f-scenarios-failMismatch": "incompatible",
    "f-scenarios-failMatch": "own-code",
    "f-scenarios-newFieldRead": "missing-coverage",
    "f-scenarios-newFieldForwarded": "pass-through",
    "f-scenarios-allMatch": "nothing",
    "f-worstCase": "pass-through",
    "f-detectDrift": "run-unmocked",
    "f-flakyCause": "slow-machine",
  };
  for (const [id, value] of Object.entries(choices)) await page.locator(`#${id}`).selectOption(value);
  await page.getByRole("button", { name: "Submit for grading" }).click();
  await page.waitForURL(/\/submissions\/\d+$/);
}

describe("revealing the right answer", () => {
  it("keeps the answer hidden while attempts remain, and shows it after the last attempt", async () => {
    const { user, password } = await makeUser(app.t.db);
    const page = await app.browser.newPage();
    page.setDefaultTimeout(5000);
    await app.signIn(page, user.email, password);

    await submitWrongFlakyCause(page);
    const firstUrl = page.url();
    const failing = page.locator(".test-fail");
    expect(await failing.count()).toBe(1);
    expect(await failing.locator("strong").first().textContent()).toBe(
      "Flaky tests usually mean a partially ramped flag",
    );
    // What is wrong in the student's own answer, a hint and the lecture link; not the answer.
    expect(await failing.textContent()).toContain(
      "Your answer: “A test against the real services passes on one run and fails on the next, with no code change. What is the usual cause?”: “A slow test machine”.",
    );
    expect(await failing.locator(".hint").count()).toBe(1);
    expect(
      await failing.locator('a[href="/modules/testing-your-service#flaky-tests-and-partially-ramped-flags"]').count(),
    ).toBe(1);
    expect(await page.locator(".reveal").count()).toBe(0);
    expect(await page.content()).not.toContain(REVEAL);

    // Attempts 2 to 4, made the same way through the grader, leave one attempt.
    const exercise = app.t.course.exerciseById("mock-drift")!.exercise;
    const answer = JSON.parse(
      app.t.db.prepare("SELECT answer FROM submissions WHERE user_id = ?").pluck().get(user.id) as string,
    ) as unknown;
    for (let i = 0; i < 3; i++) {
      const id = createSubmission(app.t.db, {
        userId: user.id,
        exerciseId: "mock-drift",
        answer,
        status: "running",
        maxAttempts: exercise.maxAttempts,
      });
      recordResult(app.t.db, id, await gradeAnswer(exercise, answer));
    }
    await page.goto(firstUrl);
    expect(await page.locator(".reveal").count()).toBe(0);

    await submitWrongFlakyCause(page);
    const reveal = page.locator(".test-fail .reveal");
    expect(await reveal.count()).toBe(1);
    expect(await reveal.textContent()).toBe(`The answer: ${REVEAL}`);

    // Once revealed, it is revealed on the earlier attempts too.
    await page.goto(firstUrl);
    expect(await page.locator(".test-fail .reveal").textContent()).toBe(`The answer: ${REVEAL}`);
    await page.close();
  });
});
