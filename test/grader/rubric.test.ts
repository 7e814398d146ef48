import { describe, expect, it } from "vitest";
import { checkRubric } from "../../grader/rubric/check";
import { gradeRubric } from "../../grader/rubric/grade";
import { rubricSchema } from "../../grader/rubric/rules";
import type { Rule } from "../../grader/rubric/rules";
import type { AnswerField } from "../../grader/exercises/shape";

const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));
const fields: AnswerField[] = [
  { key: "kind", type: "choice", label: "Kind", options: opts("hard", "soft") },
  { key: "tests", type: "multichoice", label: "Tests", options: opts("off", "on", "legacy") },
  {
    key: "steps",
    type: "list",
    label: "Steps",
    maxItems: 10,
    fields: [
      { key: "action", type: "choice", label: "Action", options: opts("dark", "dogfood", "ramp", "cleanup") },
      { key: "percent", type: "number", label: "Percent", required: false },
      { key: "rollback", type: "text", label: "Rollback", required: false },
    ],
  },
];

const base = { name: "rule", points: 2, pass: "yes", fail: "no", hint: "think", link: "/modules/dark-launches#incremental-ramp" };
const rules = rubricSchema.parse([
  { ...base, id: "kind-soft", type: "match", where: { kind: "soft" } },
  { ...base, id: "tests-off-on", type: "includes", path: "tests", values: ["off", "on"] },
  { ...base, id: "any-test", type: "includes", path: "tests", values: ["off", "on", "legacy"], atLeast: 1 },
  { ...base, id: "all-rollback", type: "every", path: "steps", is: { rollback: { present: true } } },
  { ...base, id: "ramps-have-percent", type: "every", path: "steps", where: { action: "ramp" }, is: { percent: { min: 1, max: 100 } } },
  { ...base, id: "two-ramps", type: "some", path: "steps", is: { action: "ramp" }, atLeast: 2 },
  { ...base, id: "no-cleanup", type: "none", path: "steps", is: { action: "cleanup" } },
  { ...base, id: "dark-dogfood-ramp", type: "ordered", path: "steps", sequence: [{ action: "dark" }, { action: "dogfood" }, { action: "ramp" }] },
  { ...base, id: "ramp-rises", type: "monotone", path: "steps", where: { action: "ramp" }, value: "percent", minCount: 2, maxJump: 50 },
]) as Rule[];

const statuses = (answer: unknown) => Object.fromEntries(gradeRubric(rules, answer).tests.map((t) => [t.id, t.status]));

describe("rubric rules", () => {
  it("passes every rule for a good answer and gives full marks", () => {
    const answer = {
      kind: "soft",
      tests: ["off", "on"],
      steps: [
        { action: "dark", rollback: "redeploy" },
        { action: "dogfood", rollback: "flag off" },
        { action: "ramp", percent: 50, rollback: "ramp down" },
        { action: "ramp", percent: 100, rollback: "ramp down" },
      ],
    };
    const result = gradeRubric(rules, answer);
    expect(result.status).toBe("graded");
    expect(result.score).toBe(result.maxScore);
    expect(result.maxScore).toBe(18);
    expect(result.tests.every((t) => t.hint === undefined)).toBe(true);
  });

  it("fails each rule type on the answer that breaks it, with partial credit for the rest", () => {
    const answer = {
      kind: "hard",
      tests: ["legacy"],
      steps: [
        { action: "dogfood", rollback: "" },
        { action: "dark", rollback: "redeploy" },
        { action: "ramp", percent: 100, rollback: "x" },
        { action: "cleanup", rollback: "x" },
      ],
    };
    expect(statuses(answer)).toEqual({
      "kind-soft": "fail",
      "tests-off-on": "fail",
      "any-test": "pass",
      "all-rollback": "fail",
      "ramps-have-percent": "pass",
      "two-ramps": "fail",
      "no-cleanup": "fail",
      "dark-dogfood-ramp": "fail",
      "ramp-rises": "fail",
    });
    const result = gradeRubric(rules, answer);
    expect(result.score).toBe(4);
    const rollback = result.tests.find((t) => t.id === "all-rollback");
    expect(rollback?.message).toBe("no Items that fall short (counting from the top): #1: “rollback”: nothing.");
    expect(rollback?.hint).toBe("think");
    expect(result.tests.find((t) => t.id === "ramp-rises")?.message).toContain("Values in order: 100");
  });

  it("catches a ramp that goes back down or jumps too far", () => {
    const steps = (...percents: number[]) => ({ kind: "soft", tests: [], steps: percents.map((percent) => ({ action: "ramp", percent })) });
    expect(statuses(steps(10, 5, 50))["ramp-rises"]).toBe("fail");
    expect(statuses(steps(10, 80))["ramp-rises"]).toBe("fail");
    expect(statuses(steps(10, 50, 100))["ramp-rises"]).toBe("pass");
  });

  it("numbers the items an 'every ... where' rule misses by their place in the whole list", () => {
    const answer = { kind: "soft", tests: [], steps: [{ action: "dark" }, { action: "ramp", percent: 10 }, { action: "dogfood" }, { action: "ramp", percent: 0 }] };
    const ramps = gradeRubric(rules, answer).tests.find((t) => t.id === "ramps-have-percent");
    expect(ramps?.message).toBe("no Items that fall short (counting from the top): #4: “percent”: 0.");
    // With no item the rule is about, it cannot be shown to hold.
    expect(statuses({ kind: "soft", tests: [], steps: [{ action: "dark" }] })["ramps-have-percent"]).toBe("fail");
  });

  it("treats an empty list as failing for every rule rather than passing vacuously", () => {
    expect(statuses({ kind: "soft", tests: [], steps: [] })["all-rollback"]).toBe("fail");
  });

  it("a rubric with no rule never grades as a pass", () => {
    const result = gradeRubric([], {});
    expect(result.status).toBe("error");
  });

  it("reports rules that point at fields or options the answer shape does not have", () => {
    const broken = rubricSchema.parse([
      { ...base, id: "a", type: "match", where: { knd: "soft" } },
      { ...base, id: "a", type: "match", where: { kind: "sotf" } },
      { ...base, id: "c", type: "every", path: "kind", is: { ".": "hard" } },
      { ...base, id: "d", type: "monotone", path: "steps", value: "action" },
      { ...base, id: "e", type: "some", path: "steps", is: { "action": { oneOf: ["dark", "launch"] } } },
    ]) as Rule[];
    expect(checkRubric(broken, fields)).toEqual([
      { path: "rubric[0].where.knd", message: '"knd": no field "knd" in the answer shape (known: kind, tests, steps)' },
      { path: "rubric[1].id", message: 'duplicate rule id "a"' },
      { path: "rubric[1].where.kind", message: '"sotf" is not an option of this field (options: hard, soft)' },
      { path: "rubric[2].path", message: 'a rule of type "every" needs a list or multichoice field' },
      { path: "rubric[3].value", message: 'a rule of type "monotone" needs a number field' },
      { path: "rubric[4].is.action", message: '"launch" is not an option of this field (options: dark, dogfood, ramp, cleanup)' },
    ]);
  });
});
