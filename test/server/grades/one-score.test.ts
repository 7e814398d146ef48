/**
 * One score, the same everywhere: a 16 / 16 submission overridden to 15 once feedback is released
 * (and a late one with its penalty) reads the same number on the submission headline, the attempts
 * table, the exercise, home and module pages, the staff queue and submission page, and grades.csv.
 * Attempts are numbered per student, never by the global submission id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, tokenFor, type TestApp } from "../../helpers/app";
import { encodeForm, toFormFields } from "../../helpers/forms";
import { agentFor, inputTime, postForm, referenceAnswer, type Agent } from "../pages/instructor/instructor-helpers";

const exerciseId = "metrics-priority-rides";
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

async function submit(agent: Agent): Promise<number> {
  const res = await agent
    .post(`/exercises/${exerciseId}/submissions`)
    .type("form")
    .send(
      encodeForm({
        _csrf: await tokenFor(agent, `/exercises/${exerciseId}`),
        ...toFormFields(await referenceAnswer(exerciseId)),
      }),
    );
  expect(res.status).toBe(303);
  return Number(res.headers.location!.split("/").pop());
}

/** Every final score printed by the score partial on a page, in order. */
const finals = (html: string) => [...html.matchAll(/class="score-final">([\d.]+ \/ [\d.]+)</g)].map((m) => m[1]);

describe("one score for one submission", () => {
  it("reads the same after an override on every page a student or staff member opens, and in the export", async () => {
    // Two students, so the global id and the per-student attempt number differ.
    const other = await agentFor(t, "student");
    await submit(other.agent);
    const s = await agentFor(t, "student");
    const ta = await agentFor(t, "ta");
    const instructor = await agentFor(t, "instructor");
    const sid = await submit(s.agent);
    expect(sid).toBe(2);

    await postForm(
      ta.agent,
      `/staff/exercises/${exerciseId}/feedback`,
      { action: "release" },
      `/staff/exercises/${exerciseId}`,
    );
    expect(
      (
        await postForm(
          ta.agent,
          `/staff/submissions/${sid}/override`,
          { score: "15", reason: "Rationale copied" },
          `/staff/submissions/${sid}`,
        )
      ).status,
    ).toBe(303);

    const submissionPage = (await s.agent.get(`/submissions/${sid}`)).text;
    expect(submissionPage).toContain("<h1>Submission 1 at ");
    expect(submissionPage).not.toContain("Submission 2");
    expect(finals(submissionPage)).toEqual(["15 / 16"]);
    expect(submissionPage).toContain('<li class="score-override">Override 15: Rationale copied</li>');
    expect(submissionPage).toContain('<li class="score-auto">Automatic 16</li>');

    const exercisePage = (await s.agent.get(`/exercises/${exerciseId}`)).text;
    // Current grade, then the attempts table: the same number, the same words.
    expect(finals(exercisePage)).toEqual(["15 / 16", "15 / 16"]);
    expect(exercisePage).toContain('data-label="Submission">Submission 1</td>');
    expect(finals((await s.agent.get("/")).text)).toEqual(["15 / 16"]);
    expect(finals((await s.agent.get("/modules/observing-rollouts")).text)).toEqual(["15 / 16"]);

    const queue = (await ta.agent.get(`/staff/exercises/${exerciseId}`).query({ student: s.user.email })).text;
    expect(finals(queue)).toEqual(["15 / 16"]);
    expect(queue).toContain(`<a href="/staff/submissions/${sid}">Submission 1</a>`);
    const staffPage = (await ta.agent.get(`/staff/submissions/${sid}`)).text;
    expect(finals(staffPage)[0]).toBe("15 / 16");
    expect(staffPage).toContain("<h1>Submission 1 by ");

    const csv = (await instructor.agent.get("/admin/export/grades.csv")).text;
    const line = csv.split("\n").find((l) => l.includes(s.user.email))!;
    const header = csv.split("\n")[0]!.split(",");
    const column = header.findIndex((h) => h.startsWith("Metrics for launching priority rides"));
    expect(line.split(",")[column]).toBe("15");
  });

  it("shows a late attempt's penalty inside the score, so the headline and the grade agree", async () => {
    const instructor = await agentFor(t, "instructor");
    // 12.5% of 16 a started day: one hour late costs 2 points.
    const set = await postForm(
      instructor.agent,
      `/admin/deadlines/${exerciseId}`,
      {
        opensAt: "",
        dueAt: inputTime(-1),
        lateUntil: inputTime(48),
        latePolicy: "penalty",
        penaltyPercent: "12.5",
        confirm: "yes",
      },
      `/admin/deadlines/${exerciseId}`,
    );
    expect(set.status).toBe(303);
    const s = await agentFor(t, "student");
    const sid = await submit(s.agent);
    const page = (await s.agent.get(`/submissions/${sid}`)).text;
    expect(finals(page)).toEqual(["14 / 16"]);
    expect(page).toContain("Late penalty −2 points: 1 day late");
    expect(finals((await s.agent.get(`/exercises/${exerciseId}`)).text)).toEqual(["14 / 16", "14 / 16"]);
  });
});
