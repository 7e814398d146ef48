/**
 * An instructor sets a deadline in the past on an exercise a student already did while it had none:
 * in a real browser, the change is previewed (student, old → new score, why), saving needs a
 * confirmation, and the student's score is lowered only when the instructor ticks the opt-in.
 */
import { describe, expect, it } from "vitest";
import { makeUser, signIn, tokenFor } from "../helpers/app";
import { encodeForm, toFormFields } from "../helpers/forms";
import { useBrowserApp } from "../helpers/browser";
import { readDataFile } from "../../grader/exercises";
import { submissionBreakdown } from "../../server/grades";

const exerciseId = "metrics-priority-rides";
const app = useBrowserApp();

const inputTime = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString().slice(0, 16);

describe("changing a deadline after work was submitted", () => {
  it("previews every score it would move and lowers none without the instructor's opt-in", async () => {
    // The student submits the reference answer while the exercise has no deadline: 16 / 16.
    const { user: student, password: studentPassword } = await makeUser(app.t.db, "student");
    const agent = await signIn(app.t.app, student.email, studentPassword);
    const reference = await readDataFile(`exercises/${exerciseId}/reference.yaml`);
    if (!reference.ok) throw new Error(reference.issue.message);
    const submitted = await agent
      .post(`/exercises/${exerciseId}/submissions`)
      .type("form")
      .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${exerciseId}`), ...toFormFields(reference.data) }));
    expect(submitted.status).toBe(303);
    const sid = Number(submitted.headers.location!.split("/").pop());
    expect(submissionBreakdown(app.t.db, app.t.course, sid)?.final).toBe(16);

    const { user, password } = await makeUser(app.t.db, "instructor");
    const page = await app.browser.newPage();
    page.setDefaultTimeout(10_000);
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    await app.signIn(page, user.email, password);

    // Due 30 hours ago (two started days), 25% a day: the student's 16 would become 8.
    const fillDeadline = async () => {
      await page.goto(`${app.url}/admin/deadlines/${exerciseId}`);
      await page.getByLabel("Due (UTC)", { exact: true }).fill(inputTime(-30));
      await page.getByLabel("Late policy", { exact: true }).selectOption("penalty");
      await page.getByLabel("Penalty per day (% of points)").fill("25");
      await page.getByRole("button", { name: "Save deadline" }).click();
      await page.getByRole("heading", { name: "Check the scores this change moves" }).waitFor();
    };
    await fillDeadline();
    const row = page.locator("table.deadline-preview tbody tr");
    expect(await row.count()).toBe(1);
    const text = (await row.textContent()) ?? "";
    expect(text).toContain(student.name);
    expect(text).toContain("Submission 1");
    expect(await row.locator(".preview-scores").textContent()).toMatch(/16 → 8\s*\/ 16/);
    expect(text).toContain("was on time when submitted; the new deadline makes it 2 days late");
    // The preview saved nothing.
    expect(
      app.t.db.prepare("SELECT count(*) FROM exercise_deadlines WHERE exercise_id = ?").pluck().get(exerciseId),
    ).toBe(0);

    // Confirming without the opt-in saves the deadline and keeps the score.
    await page.getByRole("button", { name: "Confirm the change" }).click();
    await page.getByText("kept its score").waitFor();
    expect(
      app.t.db.prepare("SELECT penalty_percent FROM exercise_deadlines WHERE exercise_id = ?").pluck().get(exerciseId),
    ).toBe(25);
    expect(submissionBreakdown(app.t.db, app.t.course, sid)?.final).toBe(16);

    // Asked again, with the opt-in ticked: the penalty applies, and the audit log says who and why.
    await fillDeadline();
    await page.getByLabel(/Also apply the higher penalty/).check();
    await page.getByRole("button", { name: "Confirm the change" }).click();
    await page.getByText("Late penalties were worked out again for 1 submission").waitFor();
    expect(submissionBreakdown(app.t.db, app.t.course, sid)).toMatchObject({ latePenalty: 8, final: 8 });
    expect(
      app.t.db
        .prepare("SELECT action, before_score, after_score FROM grade_audit WHERE submission_id = ? ORDER BY id")
        .all(sid),
    ).toEqual([
      { action: "late_penalty_kept", before_score: 16, after_score: 16 },
      { action: "late_penalty_changed", before_score: 16, after_score: 8 },
    ]);
    // The student reads the same number in the headline and on the exercise page.
    const studentPage = await agent.get(`/submissions/${sid}`);
    expect(studentPage.text).toContain('<span class="score-final">8 / 16</span>');
    expect(studentPage.text).toContain("Late penalty −8 points: 2 days late");
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
