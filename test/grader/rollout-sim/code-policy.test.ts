/**
 * TypeScript rollout policies (grader/rollout-sim/code-grade.ts): `plan` and `decide` run in the real
 * sandbox, one execution per hidden day, while the day is simulated and judged outside it. The same
 * decisions must get the YAML policy's verdict; hostile code is contained and is the student's fault.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradePolicyCode } from "../../../grader/rollout-sim/code-grade";
import { rolloutSession } from "../../../grader/rollout-sim/code-session";
import { gradePolicyText } from "../../../grader/rollout-sim/grade";
import type { RolloutPolicyCodeBody } from "../../../grader/rollout-sim/code-kind";
import { METRICS } from "../../../grader/rollout-sim/policy-schema";
import { GROUP_KEYS } from "../../../grader/rollout-sim/simulate";
import { typecheckSubmission } from "../../../grader/sandbox/typecheck";
import type { GradingResult, JsonValue } from "../../../grader/result";
import { declaredModuleFor } from "../../../server/queue/declared-types";
import { makeTestApp, makeUser, signIn, type TestApp } from "../../helpers/app";
import { codeSamples, loadExerciseFiles } from "../../helpers/exercise-folder";
import { parse } from "yaml";

const read = (path: string) => readFile(path, "utf8");
const reference = await read("exercises/rollout-policy-code/solution.ts");
const starter = await read("exercises/rollout-policy-code/starter.ts");
const exercise = await loadExerciseFiles<RolloutPolicyCodeBody>("rollout-policy-code");
const grading = exercise.body.grading;
const sampleAnswer = async (exercise: string, name: string) =>
  (parse(await read(`exercises/${exercise}/samples/${name}.yaml`)) as { answer: string }).answer;

const failing = (r: GradingResult) => r.tests.filter((t) => t.status === "fail").map((t) => t.id);

/** What the judge decided each day from: everything but the evidence's wording and the rule's name. */
function outcomes(result: GradingResult): JsonValue[] {
  const runs = (result.details as { runs: { trigger: { metric: string; group: string } | null }[] }).runs;
  return runs.map(({ trigger, ...run }) => ({
    ...run,
    trigger: trigger ? { metric: trigger.metric, group: trigger.group } : null,
  }));
}

/** The reference with `decide`'s body replaced. */
const withDecide = (body: string) =>
  reference.replace(
    /export function decide\(view: StepView\): Decision \{[\s\S]*$/,
    `export function decide(view: StepView): Decision {\n${body}\n}\n`,
  );

describe("a TypeScript rollout policy", () => {
  it("the reference earns full marks with the YAML reference's outcome on every hidden day", async () => {
    const code = await gradePolicyCode(reference, grading);
    const yaml = gradePolicyText(await read("exercises/rollout-simulator/reference.yaml"), "yaml", grading);
    expect(code).toMatchObject({ status: "graded", score: 15, maxScore: 15, executions: 24 });
    expect(outcomes(code)).toEqual(outcomes(yaml));
    expect(code.tests.map((t) => [t.id, t.status, t.points])).toEqual(
      yaml.tests.map((t) => [t.id, t.status, t.points]),
    );
    const details = code.details as { looks: number; runs: { trigger: { rule: string } | null }[] };
    expect(details.looks).toBeGreaterThan(24);
    expect(details.runs.filter((r) => r.trigger).every((r) => r.trigger?.rule === "function")).toBe(true);
  });

  it("gets the YAML verdict, rule by rule and day by day, for wrong policies written both ways", async () => {
    for (const name of ["any-difference-rolls-back", "service-wide-only"]) {
      const yaml = gradePolicyText(await sampleAnswer("rollout-simulator", name), "yaml", grading);
      const code = await gradePolicyCode(await sampleAnswer("rollout-policy-code", name), grading);
      expect(failing(code), name).toEqual(failing(yaml));
      expect(code.score, name).toBe(yaml.score);
      expect(outcomes(code), name).toEqual(outcomes(yaml));
    }
  });

  it("a policy that never rolls back loses exactly the four regression rules", async () => {
    const result = await gradePolicyCode(withDecide('  return view.step >= 0 ? "hold" : "advance";'), grading);
    expect(failing(result)).toEqual([
      "catches-error-regression",
      "catches-p99-regression",
      "catches-slow-leak",
      "catches-cohort-regression",
    ]);
    expect(result.tests.find((t) => t.id === "catches-error-regression")?.message).toMatch(
      /caught on 0 of 4 seeds.*reached 100% at minute 120 without rolling back/,
    );
  });

  it("'advance' moves on before the bake is over", async () => {
    const result = await gradePolicyCode(withDecide('  return "advance";'), grading);
    const runs = (result.details as { runs: { reachedFullAt: number | null }[] }).runs;
    // Four steps before 100%, each ended at its first look, five minutes in.
    expect(new Set(runs.map((r) => r.reachedFullAt))).toEqual(new Set([20]));
  });

  it("the starter compiles and grades, losing what rolling back on any difference loses", async () => {
    const result = await gradePolicyCode(starter, grading);
    expect(result.status).toBe("graded");
    expect(failing(result)).toContain("no-rollback-on-noise");
  });
});

describe("hostile or broken policies are contained and graded as the student's", () => {
  const expectDayFailure = (result: GradingResult, pattern: RegExp) => {
    expect(result.status).toBe("graded");
    expect(result.score).toBe(0);
    expect(result.tests.every((t) => t.status === "fail")).toBe(true);
    expect(result.tests[0]?.message).toMatch(/^On the hidden day of seed \d+ \(.+\), /);
    expect(result.tests[0]?.message).toMatch(pattern);
  };

  it("a decide that loops forever is stopped by its work budget", async () => {
    expectDayFailure(
      await gradePolicyCode(withDecide("  for (;;) {}"), grading),
      /your decide function kept computing without answering/,
    );
  });

  it("a decide that throws", async () => {
    expectDayFailure(
      await gradePolicyCode(withDecide('  throw new Error("no idea what to do at " + view.minute);'), grading),
      /your module threw: .*no idea what to do at 5/,
    );
  });

  it("a decide that returns garbage, or a rollback with fields of its own, or an unwatched citation", async () => {
    expectDayFailure(
      await gradePolicyCode(withDecide("  return 42 as unknown as Decision;"), grading),
      /at minute 5, decide returned 42; it must return "advance", "hold" or \{ action: "rollback", metric, group, evidence \}/,
    );
    expectDayFailure(
      await gradePolicyCode(
        withDecide(
          '  return { action: "rollback", metric: "errorRate", group: "all", caught: true } as unknown as Decision;',
        ),
        grading,
      ),
      /decide returned a rollback .*caught.*: \(rollback\): Unrecognized key/,
    );
    expectDayFailure(
      await gradePolicyCode(withDecide('  return { action: "rollback", metric: "shownRate", group: "all" };'), grading),
      /decide rolled back citing shownRate in "all", which the plan does not watch/,
    );
  });

  it("a decide whose promise never settles", async () => {
    expectDayFailure(
      await gradePolicyCode(withDecide("  return new Promise<Decision>(() => {}) as unknown as Decision;"), grading),
      /decide returned a promise that never settles/,
    );
  });

  it("a decide that reaches for Node finds nothing there, and the reference grades fully right after", async () => {
    process.env["FLAGSHIP_TEST_SECRET"] = "ENV-SECRET-77a1";
    const probe = withDecide(`  const g = globalThis as any;
  let leak = "";
  try { leak = g.process.getBuiltinModule("fs").readFileSync("/etc/passwd", "utf8"); } catch (e) { leak = "blocked: " + String(e); }
  try { leak += g.require("child_process").execSync("id").toString(); } catch (e) { leak += " | " + String(e); }
  throw new Error(leak + " env " + JSON.stringify(g.process?.env));`);
    const result = await gradePolicyCode(probe, grading);
    const text = JSON.stringify(result);
    expect(text).not.toContain("root:x:0:0");
    expect(text).not.toContain("ENV-SECRET-77a1");
    expectDayFailure(
      result,
      /your module threw: .*blocked: TypeError: cannot read property 'getBuiltinModule' of undefined/,
    );
    expect((await gradePolicyCode(reference, grading)).score).toBe(15);
  });

  it("a plan that is not valid is feedback naming each field, not an attempt", async () => {
    const planError = async (source: string) => {
      const result = await gradePolicyCode(source, grading);
      expect(result.status).toBe("compile_error");
      expect(result.tests.every((t) => t.status === "fail" && t.message === result.error)).toBe(true);
      return result.error;
    };
    expect(await planError(reference.replace("steps: [1, 5, 25, 50, 100],", "steps: [1, 5, 25, 50],"))).toBe(
      "The plan is not valid:\nplan.steps[3]: the last step must be 100",
    );
    expect(await planError(reference.replace('metric: "latencyP99"', 'metric: "latencyP100"'))).toMatch(
      /^The plan is not valid:\nplan\.watch\[2\]\.metric: expected one of: errorRate, /,
    );
    expect(await planError(reference.replace("export const plan: Plan =", "const plan: Plan ="))).toBe(
      "The plan is not valid:\nplan: the module does not export a plan",
    );
  });

  it("code that does not compile, or imports anything but flagship:rollout, is a compile error", async () => {
    const result = await gradePolicyCode(`import { readFileSync } from "node:fs";\n${reference}`, grading);
    expect(result.status).toBe("compile_error");
    expect(result.tests[0]?.message).toMatch(/^Your code did not compile: .*node:fs/);
  });
});

describe("the flagship:rollout module", () => {
  it("offers the grader's metric names and group keys", () => {
    const session = rolloutSession({ req: null, call: () => Promise.resolve(null), ServiceError: Error });
    expect(session.moduleName).toBe("flagship:rollout");
    expect(session.provided["METRICS"]).toEqual([...METRICS]);
    expect(session.provided["GROUPS"]).toEqual([...GROUP_KEYS]);
  });
});

describe("the declared types of flagship:rollout", () => {
  it("check the reference, the starter and every sample without a warning, and name a misspelled field", async () => {
    const declared = declaredModuleFor("rollout-policy-code");
    if (!declared) throw new Error("rollout-policy-code declares no module");
    expect(typecheckSubmission(reference, declared)).toEqual([]);
    expect(typecheckSubmission(starter, declared)).toEqual([]);
    for (const sample of await codeSamples("rollout-policy-code"))
      expect(typecheckSubmission(sample.answer, declared), sample.name).toEqual([]);
    const typo = reference.replace("failedT += g.errors ?? 0;", "failedT += g.errorz ?? 0;");
    expect(typecheckSubmission(typo, declared)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("errorz") }),
    ]);
  });
});

describe("the rollout-policy-code exercise through the app", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ GRADER_WORKERS: "1" });
    await t.queue.start();
  });
  afterAll(() => t.close());

  it("grades a posted module in the queue, with a type warning for a field that may be missing", async () => {
    // `errors` is optional in the view (present only for a watched errorRate): using it unchecked is a warning.
    const code = reference.replace("failedT += g.errors ?? 0;", "failedT += g.errors;");
    expect(code).not.toBe(reference);
    const { user, password } = await makeUser(t.db);
    const agent = await signIn(t.app, user.email, password);
    const csrf = (await agent.get("/api/session")).body.csrfToken as string;
    const posted = await agent
      .post("/api/exercises/rollout-policy-code/submissions")
      .set("X-CSRF-Token", csrf)
      .send({ answer: { code } });
    expect(posted.status).toBe(201);
    let body: { status: string; result?: GradingResult } | undefined;
    for (let i = 0; i < 4800 && body?.status !== "graded"; i++) {
      body = (await agent.get(`/api/submissions/${posted.body.id as number}`)).body;
      if (body?.status !== "graded") await new Promise((r) => setTimeout(r, 50));
    }
    expect(body?.status).toBe("graded");
    expect(body?.result?.score).toBe(15);
    const line = code.split("\n").findIndex((l) => l.includes("failedT += g.errors;")) + 1;
    expect(body?.result?.warnings).toEqual([
      { line, column: expect.any(Number), message: "'g.errors' is possibly 'undefined'." },
    ]);
    const page = await agent.get(`/submissions/${posted.body.id as number}`);
    expect(page.text).toContain("Type warnings (1)");
  });
});
