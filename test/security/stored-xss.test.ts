/**
 * Stored XSS: markup put in every field people can write (a name, a structured answer, a regrade
 * reason, an override reason, a filter box, a failed sign-in's email) comes back escaped on every
 * page that shows it, to students, staff and instructors. Each vector carries a marker, so the test
 * also proves the text was shown at all (escaped), not merely left out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { csrfFrom, makeTestApp, signIn, type TestApp } from "../helpers/app";
import { createUser } from "../../server/users/users";
import { post, person, type Agent } from "../server/review/review-helpers";

const vectors = [
  "<script>alert('xss1')</script>",
  "\"><img src=x onerror=alert('xss2')>",
  "'><svg onload=alert('xss3')>",
  "</textarea><script>alert('xss4')</script>",
  "<a href=\"javascript:alert('xss5')\">xss5</a>",
  "<iframe src=//evil.example/xss6></iframe>",
  '<style>*{background:url("//evil.example/xss7")}</style>',
];
const raw = [
  "<script>alert(",
  "<img src=x onerror",
  "<svg onload",
  "</textarea><script>",
  'href="javascript:',
  "<iframe src=//evil",
  "<style>*{",
];
const escapedMarker = (n: number) => new RegExp(`&lt;[^<>]*xss${n}`);

const exercise = "metrics-priority-rides";
let t: TestApp;
let student: Agent;
let ta: Agent;
let instructor: Agent;
let submissionId: number;

beforeAll(async () => {
  t = await makeTestApp();
  // Straight into the database as well as through the form: the pages must escape what any path stored.
  const created = await createUser(t.db, {
    email: "xss-student@example.edu",
    name: vectors.join(" "),
    role: "student",
  });
  student = await signIn(t.app, created.user.email, created.password);
  ta = (await person(t, "ta")).agent;
  instructor = (await person(t, "instructor")).agent;
  await post(instructor, "/admin/users", { email: "xss-form@example.edu", name: vectors[1]!, role: "student" });

  const csrf = (await student.get("/api/session")).body.csrfToken as string;
  const metrics = vectors.map((v) => ({
    name: v,
    purpose: "rollout",
    numerator: "shown",
    denominator: "eligible",
    rationale: vectors.join(" "),
  }));
  const res = await student
    .post(`/api/exercises/${exercise}/submissions`)
    .set("X-CSRF-Token", csrf)
    .send({ answer: { metrics } });
  expect(res.status).toBe(201);
  submissionId = res.body.id as number;

  expect(
    (await post(student, `/submissions/${submissionId}/regrades`, { reason: `Please look again ${vectors.join(" ")}` }))
      .status,
  ).toBe(303);
  expect(
    (
      await post(ta, `/staff/submissions/${submissionId}/override`, {
        score: "5",
        reason: `Override ${vectors.join(" ")}`,
      })
    ).status,
  ).toBe(303);
  expect((await post(ta, `/staff/exercises/${exercise}/feedback`, { action: "immediate" })).status).toBe(303);
});
afterAll(() => t.close());

function expectInert(page: string, html: string): void {
  for (const markup of raw) expect(html, `${page} shows raw ${markup}`).not.toContain(markup);
}

describe("stored and reflected markup", () => {
  it("is escaped on every page students, staff and instructors see", async () => {
    const pages: Array<[Agent, string]> = [
      [student, "/"],
      [student, `/exercises/${exercise}`],
      [student, `/submissions/${submissionId}`],
      [ta, "/staff/"],
      [ta, `/staff/exercises/${exercise}`],
      [ta, `/staff/exercises/${exercise}?student=${encodeURIComponent(vectors[0]!)}`],
      [ta, `/staff/submissions/${submissionId}`],
      [instructor, "/admin/users"],
      [instructor, `/admin/users?q=${encodeURIComponent(vectors[2]!)}`],
      [instructor, `/admin/deadlines/${exercise}`],
      [instructor, `/admin/analytics/${exercise}`],
      [instructor, "/admin/export"],
    ];
    const shown = new Set<number>();
    for (const [agent, path] of pages) {
      const res = await agent.get(path);
      expect(res.status, path).toBe(200);
      expectInert(path, res.text);
      vectors.forEach((_, i) => escapedMarker(i + 1).test(res.text) && shown.add(i + 1));
    }
    // Every vector reached some page, escaped.
    expect([...shown].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("is escaped where a failed sign-in echoes the email back", async () => {
    const agent = request.agent(t.app);
    const token = csrfFrom((await agent.get("/login")).text);
    const res = await agent.post("/login").type("form").send({ email: vectors[1], password: "x", _csrf: token });
    expect(res.status).toBe(401);
    expectInert("/login", res.text);
    expect(res.text).toMatch(escapedMarker(2));
  });

  it("never reaches the CSV export as a formula or the JSON API as markup it would run", async () => {
    const csv = await instructor.get("/admin/export/grades.csv").buffer(true);
    expect(csv.text).toContain("<script>alert('xss1')</script>");
    expect(String(csv.headers["content-type"])).toContain("text/csv");
    const api = await student.get(`/api/submissions/${submissionId}`);
    expect(String(api.headers["content-type"])).toMatch(/^application\/json/);
    expect(String(api.headers["x-content-type-options"])).toBe("nosniff");
  });
});
