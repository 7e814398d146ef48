/**
 * Every route × every role. The route list is read from the app itself, so a new route without an
 * entry here fails the test: nobody can add a page and forget to decide who may use it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { readDataFile } from "../../grader/exercises";
import { csrfFrom, makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../helpers/app";
import { appRoutes } from "../helpers/routes";

/** Who may use a route: anyone; any signed-in user; the owner or staff; only the owner; staff; instructors. */
type Access = "public" | "signed-in" | "owner-or-staff" | "owner" | "staff" | "instructor";
type Role = "anonymous" | "student" | "other-student" | "ta" | "instructor";

const EXERCISE = "purchase-dependencies";

const matrix: Record<string, Access> = {
  "get /healthz": "public",
  "get /login": "public",
  "post /login": "public",
  "get /": "signed-in",
  "get /modules/:id": "signed-in",
  "get /exercises": "signed-in",
  "get /exercises/:id": "signed-in",
  "post /exercises/:id/form": "signed-in",
  "post /exercises/:id/submissions": "signed-in",
  "get /exercises/:id/simulator": "signed-in",
  "post /exercises/:id/simulator/runs": "signed-in",
  "post /exercises/:id/simulator/decisions": "signed-in",
  "get /api/session": "signed-in",
  "post /api/exercises/:id/submissions": "signed-in",
  "get /submissions/:id": "owner-or-staff",
  "get /api/submissions/:id": "owner-or-staff",
  "post /submissions/:id/regrades": "owner",
  "get /staff/": "staff",
  "get /staff/exercises/:id": "staff",
  "post /staff/exercises/:id/next": "staff",
  "post /staff/exercises/:id/feedback": "staff",
  "get /staff/submissions/:id": "staff",
  "post /staff/submissions/:id/items": "staff",
  "post /staff/submissions/:id/items/remove": "staff",
  "post /staff/submissions/:id/override": "staff",
  "post /staff/submissions/:id/override/clear": "staff",
  "post /staff/submissions/:id/regrade": "staff",
  "post /staff/submissions/:id/reviewed": "staff",
  "post /staff/submissions/:id/retry-grading": "staff",
  "get /staff/grading": "staff",
  "get /staff/exercises/:id/ramp-days": "staff",
  "get /staff/ramp-days/:id": "staff",
  "get /admin/users": "instructor",
  "post /admin/users": "instructor",
  "post /admin/users/:id/role": "instructor",
  "post /admin/users/:id/reset-password": "instructor",
  "post /admin/users/:id/active": "instructor",
  "post /admin/users/import": "instructor",
  "get /admin/": "instructor",
  "get /admin/deadlines": "instructor",
  "get /admin/deadlines/:id": "instructor",
  "post /admin/deadlines/:id": "instructor",
  "post /admin/deadlines/:id/delete": "instructor",
  "post /admin/deadlines/:id/extensions": "instructor",
  "post /admin/deadlines/:id/extensions/:userId/delete": "instructor",
  "get /admin/authoring": "instructor",
  "post /admin/authoring/reload": "instructor",
  "get /admin/authoring/:id": "instructor",
  "post /admin/authoring/:id/check": "instructor",
  "get /admin/authoring/:id/preview": "instructor",
  "post /admin/authoring/:id/try": "instructor",
  "post /admin/authoring/:id/rerun-grading": "instructor",
  "get /admin/export": "instructor",
  "get /admin/export/grades.csv": "instructor",
  "get /admin/export/rules.csv": "instructor",
  "get /admin/analytics": "instructor",
  "get /admin/analytics/:id": "instructor",
  // LTI: the LMS-facing endpoints are public (state, nonce and signatures guard them); setup is the instructor's.
  "get /lti/jwks": "public",
  "get /lti/canvas.json": "public",
  "get /lti/login": "public",
  "post /lti/login": "public",
  "post /lti/launch": "public",
  "get /lti/continue/:ticket": "public",
  "get /admin/lti": "instructor",
  "post /admin/lti/platforms": "instructor",
  "post /admin/lti/rotate-key": "instructor",
  "post /admin/lti/contexts/:id/roster-sync": "instructor",
  "get /admin/lti/deep-linking/:id": "instructor",
  "post /admin/lti/deep-linking/:id": "instructor",
  "get /staff/lti": "staff",
  "post /staff/lti/resend": "staff",
  // Last: it ends the session it is called with.
  "post /logout": "public",
};

function allowed(access: Access, role: Role): boolean {
  switch (access) {
    case "public":
      return true;
    case "signed-in":
      return role !== "anonymous";
    case "owner-or-staff":
      return role === "student" || role === "ta" || role === "instructor";
    case "owner":
      return role === "student";
    case "staff":
      return role === "ta" || role === "instructor";
    case "instructor":
      return role === "instructor";
  }
}

let t: TestApp;
let agents: Record<Role, ReturnType<typeof request.agent>>;
let params: Record<string, string>;

beforeAll(async () => {
  t = await makeTestApp();
  const people = {
    student: await makeUser(t.db, "student"),
    "other-student": await makeUser(t.db, "student"),
    ta: await makeUser(t.db, "ta"),
    instructor: await makeUser(t.db, "instructor"),
  };
  const victim = await makeUser(t.db, "student");
  const anonymous = request.agent(t.app);
  await anonymous.get("/login");
  agents = { anonymous } as Record<Role, ReturnType<typeof request.agent>>;
  for (const [role, p] of Object.entries(people)) agents[role as Role] = await signIn(t.app, p.user.email, p.password);

  const reference = await readDataFile(`exercises/${EXERCISE}/reference.yaml`);
  if (!reference.ok) throw new Error(reference.issue.message);
  const csrf = (await agents.student.get("/api/session")).body.csrfToken as string;
  const submitted = await agents.student
    .post(`/api/exercises/${EXERCISE}/submissions`)
    .set("X-CSRF-Token", csrf)
    .send({ answer: reference.data });
  params = { submission: String(submitted.body.id), user: String(victim.user.id) };
});
afterAll(() => t.close());

function concretePath(route: string): string {
  const path = route.split(" ")[1]!;
  return path
    .replace(/^\/modules\/:id/, "/modules/dark-launches")
    .replace(/\/(submissions)\/:id/, `/$1/${params.submission}`)
    .replace(/^\/admin\/users\/:id/, `/admin/users/${params.user}`)
    .replace(/:userId/, params.user!)
    .replace(/:id/, EXERCISE);
}

describe("authorization matrix", () => {
  // Before the matrix runs: its last route signs every agent out.
  it("never shows students grader notes or the reference answer", async () => {
    const page = await agents.student.get(`/exercises/${EXERCISE}`);
    const submission = await agents.student.get(`/submissions/${params.submission}`);
    for (const html of [page.text, submission.text]) {
      expect(html).not.toContain("Accept any wording that ties the email");
      expect(html).not.toContain("graderNote");
    }
    const staffView = await agents.ta.get(`/staff/submissions/${params.submission}`);
    expect(staffView.text).toContain("Accept any wording that ties the email");
  });
  it("has an entry for every route the app serves, and no stale ones", () => {
    expect(appRoutes(t.app).sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const role of ["anonymous", "student", "other-student", "ta", "instructor"] as const) {
    it(`answers ${role} as the matrix says on every route`, async () => {
      const agent = agents[role];
      const wrong: string[] = [];
      for (const [route, access] of Object.entries(matrix)) {
        const method = route.split(" ")[0] as "get" | "post";
        const path = concretePath(route);
        const api = path.startsWith("/api/");
        let res;
        if (method === "get") {
          res = await agent.get(path).set("Accept", api ? "application/json" : "text/html");
        } else {
          const token =
            role === "anonymous" ? csrfFrom((await agent.get("/login")).text) : await tokenFor(agent, "/exercises");
          res = await agent
            .post(path)
            .set("Accept", api ? "application/json" : "text/html")
            .set("X-CSRF-Token", token)
            .type("form")
            .send({});
        }
        // Someone else's submission is answered 404, exactly as a missing one, so ids cannot be enumerated.
        const hiddenFromOthers = (access === "owner-or-staff" || access === "owner") && role === "other-student";
        const denied = hiddenFromOthers
          ? res.status === 404
          : res.status === 401 ||
            res.status === 403 ||
            (res.status === 302 && String(res.headers.location).startsWith("/login?"));
        const expectAllowed = allowed(access, role);
        if (expectAllowed === denied) wrong.push(`${route} (${access}) → ${res.status} ${res.headers.location ?? ""}`);
        if (!expectAllowed && role === "anonymous" && !api && method === "get") {
          expect(res.headers.location, route).toMatch(/^\/login\?next=/);
        }
        expect(res.status, `${route} must not crash`).toBeLessThan(500);
      }
      expect(wrong, `${role} got the wrong answer on:\n${wrong.join("\n")}`).toEqual([]);
    });
  }
});
