import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, tokenFor, type TestApp } from "../../../helpers/app";
import { encodeForm, toFormFields } from "../../../helpers/forms";
import { agentFor, postForm, referenceAnswer, type Agent } from "./instructor-helpers";

const id = "metrics-priority-rides";
let dir: string;
let t: TestApp;
let instructor: Agent;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flagship-authoring-"));
  for (const name of [id, "rollout-plan"]) cpSync(join("exercises", name), join(dir, name), { recursive: true });
  mkdirSync(join(dir, "broken-one"));
  writeFileSync(
    join(dir, "broken-one", "exercise.yaml"),
    [
      "id: broken-one",
      "title: Broken",
      "kind: structured",
      "module: dark-launches",
      "points: -4",
      "maxAttempts: 3",
      "scoring: best",
      "prompt: Hi",
      "answer: { fields: [] }",
      "rubric: []",
      "",
    ].join("\n"),
  );
  t = await makeTestApp({ EXERCISES_DIR: dir });
  instructor = (await agentFor(t, "instructor")).agent;
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function count(table: string): number {
  return t.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe("the authoring page", () => {
  it("lists every exercise with its validation state, including one that failed to load, with file and field", async () => {
    const page = await instructor.get("/admin/authoring");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Failed to load");
    expect(page.text).toMatch(/<code>broken-one\/exercise\.yaml<\/code>: <code>points<\/code>: /);
    expect(page.text).toContain(`href="/admin/authoring/${id}/preview"`);
    expect(page.text.match(/badge badge-done" title="[^"]*">Loads/g)?.length).toBe(2);
  });

  it("runs the full check of one exercise, as the CLI does", async () => {
    const res = await postForm(instructor, "/admin/authoring/rollout-plan/check", {}, "/admin/authoring/rollout-plan");
    expect(res.status).toBe(200);
    expect(res.text).toContain("All checks passed");
  });

  it("previews an exercise as students see it, and its form grades without recording", async () => {
    const preview = await instructor.get(`/admin/authoring/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('name="answer[metrics][0][name]"');
    expect(preview.text).toContain(`action="/admin/authoring/${id}/try"`);
    expect(preview.text).not.toContain("Save draft");
    const graded = await instructor
      .post(`/admin/authoring/${id}/try`)
      .type("form")
      .send(
        encodeForm({
          _csrf: await tokenFor(instructor, `/admin/authoring/${id}/preview`),
          ...toFormFields(await referenceAnswer(id, dir)),
        }),
      );
    expect(graded.status).toBe(200);
    expect(graded.text).toMatch(/Score: <span class="score">16 \/ 16<\/span>/);
    expect(count("submissions")).toBe(0);
    expect(count("drafts")).toBe(0);
  });

  it("grades a pasted JSON or YAML answer without recording it, and reports a bad paste at the field", async () => {
    const json = await postForm(
      instructor,
      `/admin/authoring/${id}/try`,
      { answerText: JSON.stringify(await referenceAnswer(id, dir)) },
      `/admin/authoring/${id}`,
    );
    expect(json.text).toMatch(/Score: <span class="score">16 \/ 16<\/span>/);
    const yaml = await postForm(
      instructor,
      `/admin/authoring/${id}/try`,
      {
        answerText:
          "metrics:\n  - name: Reach\n    purpose: rollout\n    numerator: shown\n    denominator: eligible\n",
      },
      `/admin/authoring/${id}`,
    );
    expect(yaml.status).toBe(200);
    expect(yaml.text).toContain("test test-fail");
    const broken = await postForm(
      instructor,
      `/admin/authoring/${id}/try`,
      { answerText: "metrics: [ {" },
      `/admin/authoring/${id}`,
    );
    expect(broken.status).toBe(400);
    expect(broken.text).toContain("not valid YAML at line");
    expect(broken.text).toContain("metrics: [ {");
    expect(count("submissions")).toBe(0);
  });
});

describe("the grade export with a folder that failed to load", () => {
  it("says which exercises are missing from the export", async () => {
    const page = await instructor.get("/admin/export");
    expect(page.text).toContain("Not in the export:");
    expect(page.text).toContain("broken-one");
  });
});

describe("reloading exercise files", () => {
  it("keeps serving an exercise's last good version when its files stop loading, and recovers from any bad file", async () => {
    const manifest = join(dir, "rollout-plan", "exercise.yaml");
    const good = readFileSync(manifest, "utf8");
    try {
      writeFileSync(manifest, good.replace(/^points: (\d+)$/m, "points: twenty-two"));
      expect((await postForm(instructor, "/admin/authoring/reload", {}, "/admin/authoring")).status).toBe(303);
      const page = await instructor.get("/admin/authoring");
      expect(page.text).toContain("failed to reload, last good version still served: rollout-plan");
      expect(page.text).toContain("Last good version served");
      expect(page.text).toMatch(/<code>points<\/code>: [^<]*number/);
      // Still on students' pages, in the staff queue and in the export.
      expect(t.course.exerciseById("rollout-plan")?.exercise.points).toBe(23);
      expect((await instructor.get("/staff/exercises/rollout-plan")).status).toBe(200);
      const title = t.course.exerciseById("rollout-plan")?.exercise.title ?? "(missing)";
      expect((await instructor.get("/admin/export/grades.csv")).text.split("\r\n")[0]).toContain(title);

      // Aliases that expand too far are one file's problem, not a failed reload for good.
      const bomb = [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
        "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
        "",
      ].join("\n");
      writeFileSync(manifest, bomb);
      expect((await postForm(instructor, "/admin/authoring/reload", {}, "/admin/authoring")).status).toBe(303);
      expect((await instructor.get("/admin/authoring")).text).toMatch(/not valid YAML: [^<]*alias/i);
    } finally {
      writeFileSync(manifest, good);
    }
    expect((await postForm(instructor, "/admin/authoring/reload", {}, "/admin/authoring")).status).toBe(303);
    const fixed = await instructor.get("/admin/authoring");
    expect(fixed.text).not.toContain("Last good version served");
    expect(fixed.text).not.toContain("not valid YAML");
  });

  it("picks up a changed rubric without a restart and regrades on request, keeping the old result", async () => {
    const student = await agentFor(t, "student");
    const submitted = await student.agent
      .post(`/exercises/${id}/submissions`)
      .type("form")
      .send(
        encodeForm({
          _csrf: await tokenFor(student.agent, `/exercises/${id}`),
          ...toFormFields(await referenceAnswer(id, dir)),
        }),
      );
    expect(submitted.status).toBe(303);
    const submissionId = Number(submitted.headers.location!.split("/").pop());

    // The first rule is worth 3 of 16 points; make it 5 of 18, and fix the broken exercise at the same time.
    const manifest = join(dir, id, "exercise.yaml");
    const text = readFileSync(manifest, "utf8");
    writeFileSync(
      manifest,
      text.replace(/^points: 16$/m, "points: 18").replace(/(- id: rollout-metric\n(?:.*\n)*?\s+points: )3/, "$15"),
    );
    rmSync(join(dir, "broken-one"), { recursive: true });

    const reload = await postForm(instructor, "/admin/authoring/reload", {}, "/admin/authoring");
    expect(reload.status).toBe(303);
    const page = await instructor.get("/admin/authoring");
    expect(page.text).toContain(`grading changed: ${id}`);
    expect(page.text).not.toContain("broken-one");
    expect(page.text).toContain("Re-run grading on 1 submission");
    // Every route sees the new rubric: the student's page shows the exercise still, and the submission is kept.
    expect(t.course.exerciseById(id)?.exercise.points).toBe(18);
    expect((await student.agent.get(`/exercises/${id}`)).text).toContain("18 points");
    expect(count("submissions")).toBe(1);

    const regrade = await postForm(instructor, `/admin/authoring/${id}/rerun-grading`, {}, `/admin/authoring/${id}`);
    expect(regrade.status).toBe(303);
    const row = t.db.prepare("SELECT score, max_score FROM submissions WHERE id = ?").get(submissionId);
    expect(row).toEqual({ score: 18, max_score: 18 });
    const history = t.db
      .prepare(
        "SELECT old_score, new_score, old_result IS NOT NULL AS kept FROM regrade_history WHERE submission_id = ?",
      )
      .all(submissionId);
    expect(history).toEqual([{ old_score: 16, new_score: 18, kept: 1 }]);
    const exercisePage = await instructor.get(`/admin/authoring/${id}`);
    expect(exercisePage.text).toContain(
      `<a href="/staff/submissions/${submissionId}">${student.user.name}, submission 1</a></td><td>16</td><td>18</td>`,
    );
    const after = await instructor.get("/admin/authoring");
    expect(after.text).not.toContain("Re-run grading on 1 submission");
  });
});
