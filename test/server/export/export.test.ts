import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, signIn, tokenFor, type TestApp } from "../../helpers/app";
import { encodeForm, toFormFields } from "../../helpers/forms";
import { createUser } from "../../../server/users/users";
import { csvCell, identifier, toCsv } from "../../../server/export/csv";
import { agentFor, inputTime, postForm, referenceAnswer, type Agent } from "../pages/instructor/instructor-helpers";

const id = "metrics-priority-rides";
let t: TestApp;
let instructor: Agent;

async function studentNamed(name: string, email: string): Promise<Agent> {
  const { password } = await createUser(t.db, { email, name, role: "student" });
  return signIn(t.app, email, password);
}

async function submit(agent: Agent, answer: unknown) {
  const res = await agent
    .post(`/exercises/${id}/submissions`)
    .type("form")
    .send(encodeForm({ _csrf: await tokenFor(agent, `/exercises/${id}`), ...toFormFields(answer) }));
  expect(res.status).toBe(303);
}

/** Splits our CSV (no embedded newlines in these fixtures) into rows of raw cells. */
function lines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");
}

beforeAll(async () => {
  t = await makeTestApp();
  instructor = (await agentFor(t, "instructor")).agent;
  const attacker = await studentNamed('=HYPERLINK("http://evil","x")', "attacker@example.edu");
  await submit(attacker, await referenceAnswer(id));
  const jane = await studentNamed("Doe, Jane", "jane@example.edu");
  await submit(jane, { metrics: [{ name: "Reach", purpose: "rollout", numerator: "shown", denominator: "eligible" }] });
  // Both of them submitted before the deadline set next (penalties follow the deadline as it stands).
  t.db.prepare("UPDATE submissions SET created_at = ?").run(new Date(Date.now() - 2 * 3600_000).toISOString());
  // A late student: 12.5% of 16 points per day, one day late → −2 from a full score.
  await postForm(
    instructor,
    `/admin/deadlines/${id}`,
    { opensAt: "", dueAt: inputTime(-1), lateUntil: "", latePolicy: "penalty", penaltyPercent: "12.5" },
    `/admin/deadlines/${id}`,
  );
  const late = await studentNamed("Late Larry", "larry@example.edu");
  await submit(late, await referenceAnswer(id));
  await studentNamed("Nothing Yet", "nothing@example.edu");
  const plus = await studentNamed("Plus Tag", "+tag@example.edu");
  await submit(plus, await referenceAnswer(id));
  await studentNamed("Minus Dash", "-dash@example.edu");
});
afterAll(() => t.close());

describe("csv cells", () => {
  it("quotes, escapes formulas in text and leaves numbers alone", () => {
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe('"\'\rx"');
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell(-2)).toBe("-2");
    expect(csvCell(null)).toBe("");
    expect(toCsv([["a", 1]])).toBe("\uFEFFa,1\r\n");
  });

  it("write an email identifier exactly, even when it starts with + or -, and defuse anything else", () => {
    expect(csvCell(identifier("+tag@example.edu"))).toBe("+tag@example.edu");
    expect(csvCell(identifier("-dash@example.edu"))).toBe("-dash@example.edu");
    expect(csvCell(identifier("o'neil@example.edu"))).toBe("o'neil@example.edu");
    expect(csvCell(identifier('=HYPERLINK("http://evil")'))).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell(identifier("+cmd|' /C calc'!A0"))).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell(identifier("-1+1"))).toBe("'-1+1");
  });
});

describe("the grade export", () => {
  it("downloads a gradebook CSV: one row per student, one column per exercise with the final score", async () => {
    const res = await instructor.get("/admin/export/grades.csv").buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="flagship-grades-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.text.startsWith("\uFEFF")).toBe(true);
    const rows = lines(res.text);
    const columns = t.course.exercises.map((e) => `${e.exercise.title} (${e.exercise.points})`);
    expect(rows[0]).toBe(["Student", "SIS Login ID", ...columns].join(","));
    const col = columns.indexOf("Metrics for launching priority rides (16)");
    expect(col).toBeGreaterThanOrEqual(0);
    const cellsOf = (email: string) => {
      const row = rows.find((r) => r.includes(`,${email},`) || r.includes(`",${email},`));
      expect(row).toBeDefined();
      return row!;
    };
    expect(
      cellsOf("attacker@example.edu").startsWith(`"'=HYPERLINK(""http://evil"",""x"")",attacker@example.edu,`),
    ).toBe(true);
    expect(cellsOf("jane@example.edu").startsWith('"Doe, Jane",jane@example.edu,')).toBe(true);
    const scoreIn = (email: string) => cellsOf(email).split(`${email},`)[1]!.split(",")[col];
    expect(scoreIn("attacker@example.edu")).toBe("16");
    expect(scoreIn("larry@example.edu")).toBe("14");
    expect(Number(scoreIn("jane@example.edu"))).toBeLessThan(16);
    expect(scoreIn("nothing@example.edu")).toBe("");
    // The SIS login is the identifier a gradebook import matches on: exact, never quoted.
    expect(rows.some((r) => r.startsWith("Plus Tag,+tag@example.edu,"))).toBe(true);
    expect(rows.some((r) => r.startsWith("Minus Dash,-dash@example.edu,"))).toBe(true);
    expect(res.text).not.toContain("'+tag");
    // Staff are not students: no rows for them.
    expect(res.text).not.toContain("instructor");
  });

  it("downloads a per-rule CSV for analysis", async () => {
    const res = await instructor.get("/admin/export/rules.csv").buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toContain("flagship-rule-results-");
    const rows = lines(res.text);
    expect(rows[0]).toBe("Student,Email,Exercise,Submission,Submitted at,Counts,Rule,Status,Points,Max points");
    const jane = rows.filter((r) => r.includes("jane@example.edu"));
    expect(jane.length).toBeGreaterThan(3);
    expect(jane.some((r) => /,yes,rollout-metric,pass,3,3$/.test(r))).toBe(true);
    expect(jane.some((r) => /,success-metric,fail,0,3$/.test(r))).toBe(true);
    expect(rows.some((r) => r.startsWith(`"'=HYPERLINK`))).toBe(true);
    expect(rows.some((r) => r.startsWith(`Plus Tag,+tag@example.edu,${id},`))).toBe(true);
  });

  it("offers both downloads on the export page", async () => {
    const page = await instructor.get("/admin/export");
    expect(page.text).toContain('href="/admin/export/grades.csv"');
    expect(page.text).toContain('href="/admin/export/rules.csv"');
  });
});
