import { describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";
import { exerciseId, person, post, referenceAnswer, submit } from "../server/review/review-helpers";

const app = useBrowserApp();

describe("a TA in the browser", () => {
  it("works through the queue: next ungraded, a rubric item, an override with a reason, a regrade answer, and the audit log", async () => {
    const nearlyRight = {
      ...((await referenceAnswer()) as Record<string, unknown>),
      sendEmail: { dependency: "hard", onFailure: "fail" },
    };
    const ann = await person(app.t);
    const annId = await submit(ann.agent, nearlyRight);
    const bob = await person(app.t);
    const bobId = await submit(bob.agent, nearlyRight);
    expect(
      (
        await post(bob.agent, `/submissions/${bobId}/regrades`, {
          reason: "My reasoning explains why the email is soft.",
        })
      ).status,
    ).toBe(303);

    const { user: ta, password } = await makeUser(app.t.db, "ta");
    const page = await app.browser.newPage();
    page.setDefaultTimeout(5000);
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await app.signIn(page, ta.email, password);

    await page.getByRole("link", { name: "Staff" }).click();
    await page.getByRole("link", { name: "Hard and soft dependencies of the purchase app" }).click();
    await page.getByRole("button", { name: "Next ungraded" }).click();
    await page.waitForURL(`${app.url}/staff/submissions/${annId}`);
    expect(await page.getByText("Held by you").count()).toBe(1);
    expect(await page.locator(".grade-breakdown .score-headline .score-final").textContent()).toBe("15 / 17");

    // Apply a rubric item with a comment.
    const item = page.locator("#item-rationale-email-soft");
    await item.getByLabel("Comment for the student (optional)").fill("You explain that the email can wait.");
    await item.getByRole("button", { name: "Apply +1" }).click();
    await page.waitForURL(`${app.url}/staff/submissions/${annId}`);
    expect(await page.locator(".grade-breakdown .score-headline .score-final").textContent()).toBe("16 / 17");

    // An override without a reason is refused at the field, with the score kept.
    await page.getByLabel("Score (0–17)").fill("14");
    await page.getByRole("button", { name: "Set override" }).click();
    expect(await page.locator("#ov-reason-error").textContent()).toContain("is required");
    expect(await page.getByLabel("Score (0–17)").inputValue()).toBe("14");
    // The field in error has the focus, so a message below the fold is not missed.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ov-reason");
    await page.getByLabel("Reason (required)").fill("Rationale contradicts the chosen fallback");
    await page.getByRole("button", { name: "Set override" }).click();
    await page.waitForURL(`${app.url}/staff/submissions/${annId}`);
    expect(await page.locator(".grade-breakdown .score-headline .score-final").textContent()).toBe("14 / 17");

    const annLog = page.locator("table.audit-log tbody tr");
    expect(await annLog.count()).toBe(2);
    expect(await annLog.nth(0).textContent()).toContain("Rubric item applied");
    expect(await annLog.nth(1).textContent()).toContain("Override set");
    expect(await annLog.nth(1).textContent()).toContain("Rationale contradicts the chosen fallback");

    // Open regrade requests from the queue filter and answer one.
    await page.getByRole("button", { name: "Done: mark reviewed" }).click();
    await page.waitForURL(`${app.url}/staff/exercises/${exerciseId}`);
    await page.getByLabel("Status").selectOption("regrade-requested");
    await page.getByRole("button", { name: "Filter" }).click();
    // Attempts are numbered per student ("Submission 1"), so the row is found by its link.
    await page.locator(`table.review-queue a[href="/staff/submissions/${bobId}"]`).click();
    await page.waitForURL(`${app.url}/staff/submissions/${bobId}`);
    const request = page.locator(".regrade-request");
    await request.getByLabel("Accept").check();
    await request.getByLabel("Answer to the student").fill("Agreed: your reasoning earns the point.");
    await request.getByLabel("Or apply a rubric item").selectOption("rationale-email-soft");
    await request.getByRole("button", { name: "Answer request" }).click();
    await page.waitForURL(`${app.url}/staff/submissions/${bobId}`);
    expect(await page.locator(".grade-breakdown .score-headline .score-final").textContent()).toBe("16 / 17");
    const bobLog = page.locator("table.audit-log tbody tr");
    expect(await bobLog.count()).toBe(2);
    expect(await bobLog.nth(1).textContent()).toContain("Regrade accepted");
    expect(await bobLog.nth(1).textContent()).toContain("Agreed: your reasoning earns the point.");

    // The student reads the answer on their submission page.
    const studentPage = await bob.agent.get(`/submissions/${bobId}`);
    expect(studentPage.text).toContain("Agreed: your reasoning earns the point.");
    // The refused override answered 400 on purpose; anything else (a CSP violation, a script error) is a bug.
    expect(consoleErrors.filter((e) => !e.includes("status of 400"))).toEqual([]);
    await page.close();
  });
});
