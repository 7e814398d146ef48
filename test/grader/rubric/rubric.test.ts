import { describe, expect, it } from "vitest";
import { checkRubric } from "../../../grader/rubric/check";
import { gradeRubric } from "../../../grader/rubric/grade";
import { rubricSchema } from "../../../grader/rubric/rules";
import type { AnswerField } from "../../../grader/exercises/shape";

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

const base = {
  name: "rule",
  points: 2,
  pass: "yes",
  fail: "no",
  hint: "think",
  link: "/modules/dark-launches#incremental-ramp",
};
const rules = rubricSchema.parse([
  { ...base, id: "kind-soft", type: "match", where: { kind: "soft" } },
  { ...base, id: "tests-off-on", type: "includes", path: "tests", values: ["off", "on"] },
  { ...base, id: "any-test", type: "includes", path: "tests", values: ["off", "on", "legacy"], atLeast: 1 },
  { ...base, id: "all-rollback", type: "every", path: "steps", is: { rollback: { present: true } } },
  {
    ...base,
    id: "ramps-have-percent",
    type: "every",
    path: "steps",
    where: { action: "ramp" },
    is: { percent: { min: 1, max: 100 } },
  },
  { ...base, id: "two-ramps", type: "some", path: "steps", is: { action: "ramp" }, atLeast: 2 },
  { ...base, id: "no-cleanup", type: "none", path: "steps", is: { action: "cleanup" } },
  {
    ...base,
    id: "dark-dogfood-ramp",
    type: "ordered",
    path: "steps",
    sequence: [{ action: "dark" }, { action: "dogfood" }, { action: "ramp" }],
  },
  {
    ...base,
    id: "ramp-rises",
    type: "monotone",
    path: "steps",
    where: { action: "ramp" },
    value: "percent",
    minCount: 2,
    maxJump: 50,
  },
]);

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
    expect(rollback?.message).toBe("no Falls short: Item 1: “rollback”: nothing.");
    expect(rollback?.hint).toBe("think");
    expect(result.tests.find((t) => t.id === "ramp-rises")?.message).toContain("Values in order: 100");
  });

  it("catches a ramp that goes back down or jumps too far", () => {
    const steps = (...percents: number[]) => ({
      kind: "soft",
      tests: [],
      steps: percents.map((percent) => ({ action: "ramp", percent })),
    });
    expect(statuses(steps(10, 5, 50))["ramp-rises"]).toBe("fail");
    expect(statuses(steps(10, 80))["ramp-rises"]).toBe("fail");
    expect(statuses(steps(10, 50, 100))["ramp-rises"]).toBe("pass");
  });

  it("numbers the items an 'every ... where' rule misses by their place in the whole list", () => {
    const answer = {
      kind: "soft",
      tests: [],
      steps: [
        { action: "dark" },
        { action: "ramp", percent: 10 },
        { action: "dogfood" },
        { action: "ramp", percent: 0 },
      ],
    };
    const ramps = gradeRubric(rules, answer).tests.find((t) => t.id === "ramps-have-percent");
    expect(ramps?.message).toBe("no Falls short: Item 4: “percent”: 0.");
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
      { ...base, id: "e", type: "some", path: "steps", is: { action: { oneOf: ["dark", "launch"] } } },
    ]);
    expect(checkRubric(broken, fields)).toEqual([
      { path: "rubric[0].where.knd", message: '"knd": no field "knd" in the answer shape (known: kind, tests, steps)' },
      { path: "rubric[1].id", message: 'duplicate rule id "a"' },
      { path: "rubric[1].where.kind", message: '"sotf" is not an option of this field (options: hard, soft)' },
      { path: "rubric[2].path", message: 'a rule of type "every" needs a list or multichoice field' },
      { path: "rubric[3].value", message: 'a rule of type "monotone" needs a number field' },
      {
        path: "rubric[4].is.action",
        message: '"launch" is not an option of this field (options: dark, dogfood, ramp, cleanup)',
      },
    ]);
  });

  describe("rules that judge fit, not presence", () => {
    const shape: AnswerField[] = [
      { key: "reasoning", type: "longtext", label: "Reasoning", required: false },
      {
        key: "verdict",
        type: "choice",
        label: "Verdict",
        options: [
          { value: "yes", label: "Compatible" },
          { value: "no", label: "Not compatible" },
          { value: "depends", label: "It depends" },
        ],
      },
      {
        key: "steps",
        type: "list",
        label: "Steps",
        maxItems: 10,
        fields: [
          { key: "name", type: "text", label: "Name", required: false },
          {
            key: "action",
            type: "choice",
            label: "Action",
            options: [
              { value: "ramp", label: "Ramp the flag" },
              { value: "drop", label: "Drop the column" },
              { value: "dark", label: "Deploy dark" },
            ],
          },
          {
            key: "rollback",
            type: "choice",
            label: "Rollback",
            options: [
              { value: "flag-off", label: "Turn the flag off" },
              { value: "restore", label: "Restore from backup" },
              { value: "redeploy", label: "Redeploy" },
            ],
          },
        ],
      },
    ];
    const fit = rubricSchema.parse([
      {
        ...base,
        id: "rollback-fits",
        type: "every",
        path: "steps",
        is: {
          rollback: {
            fitsFor: { path: "action", table: { ramp: ["flag-off"], drop: ["restore"], dark: ["redeploy"] } },
          },
        },
      },
      {
        ...base,
        id: "verdict",
        type: "match",
        anyOf: [{ verdict: "yes" }, { verdict: "depends", reasoning: { present: true } }],
      },
      { ...base, id: "one-ramp", type: "some", path: "steps", is: { action: "ramp" }, distinctBy: ["action"] },
      {
        ...base,
        id: "dark-then-drop",
        type: "ordered",
        path: "steps",
        sequence: [{ action: "dark" }, { action: "drop" }],
      },
      {
        ...base,
        id: "dark-then-ramp",
        type: "ordered",
        path: "steps",
        missing: "judge-elsewhere",
        sequence: [{ action: "dark" }, { action: "ramp" }],
      },
    ]);
    const grade = (answer: unknown) => gradeRubric(fit, answer, shape);
    const test = (answer: unknown, id: string) => grade(answer).tests.find((t) => t.id === id);
    const good = {
      verdict: "yes",
      steps: [
        { action: "dark", rollback: "redeploy" },
        { action: "ramp", rollback: "flag-off" },
        { action: "drop", rollback: "restore" },
      ],
    };

    it("a rollback pasted on every step fails where it does not undo that step, naming the step and the student's choice", () => {
      expect(grade(good).score).toBe(grade(good).maxScore);
      const pasted = { ...good, steps: good.steps.map((s) => ({ ...s, rollback: "flag-off" })) };
      const result = test(pasted, "rollback-fits");
      expect(result?.status).toBe("fail");
      expect(result?.message).toBe(
        "no Falls short: Item 1 (“Deploy dark”): “Rollback”: “Turn the flag off” · Item 3 (“Drop the column”): “Rollback”: “Turn the flag off”.",
      );
    });

    it("accepts a reasoned 'depends', not a bare one, and quotes the student's answer without the expected one", () => {
      expect(
        test({ ...good, verdict: "depends", reasoning: "on the reader's JSON serializer" }, "verdict")?.status,
      ).toBe("pass");
      const bare = test({ ...good, verdict: "depends", reasoning: "  " }, "verdict");
      expect(bare?.status).toBe("fail");
      expect(bare?.message).toBe("no Your answer: “Verdict”: “It depends”; “Reasoning”: nothing.");
      expect(test({ ...good, verdict: "no" }, "verdict")?.message).not.toContain("Compatible”");
    });

    it("an item listed twice with different answers counts for neither copy", () => {
      const hedged = { ...good, steps: [...good.steps, { action: "ramp", rollback: "restore" }] };
      const result = test(hedged, "one-ramp");
      expect(result?.status).toBe("fail");
      expect(result?.message).toContain("listed more than once");
    });

    it("an ordered rule names the missing or misplaced step by its label", () => {
      const noDark = { ...good, steps: good.steps.filter((s) => s.action !== "dark") };
      expect(test(noDark, "dark-then-drop")?.message).toBe("no Missing: “Deploy dark”.");
      const early = { ...good, steps: [good.steps[2], good.steps[0], good.steps[1]] };
      expect(test(early, "dark-then-drop")?.message).toBe(
        "no Item 1 (“Drop the column”) comes before Item 2 (“Deploy dark”), which must come first.",
      );
    });

    it("with missing: judge-elsewhere, a missing step is charged once, by the rule that requires it", () => {
      const noDark = { ...good, steps: good.steps.filter((s) => s.action !== "dark") };
      const failing = grade(noDark)
        .tests.filter((t) => t.status === "fail")
        .map((t) => t.id);
      expect(failing).toEqual(["dark-then-drop"]);
      const rampFirst = { ...good, steps: [good.steps[1], good.steps[0], good.steps[2]] };
      expect(test(rampFirst, "dark-then-ramp")?.status).toBe("fail");
    });

    it("a per-step missing list charges the step this rule requires and leaves the other to its own rule", () => {
      const perStep = rubricSchema.parse([
        {
          ...base,
          id: "dark-then-ramp",
          type: "ordered",
          path: "steps",
          missing: ["fail", "judge-elsewhere"],
          sequence: [{ action: "dark" }, { action: "ramp" }],
        },
      ]);
      const status = (answer: unknown) => gradeRubric(perStep, answer, shape).tests[0];
      expect(status({ ...good, steps: good.steps.filter((s) => s.action !== "ramp") })?.status).toBe("pass");
      const noDark = status({ ...good, steps: good.steps.filter((s) => s.action !== "dark") });
      expect(noDark?.status).toBe("fail");
      expect(noDark?.message).toBe("no Missing: “Deploy dark”.");
      expect(status({ ...good, steps: [good.steps[1], good.steps[0], good.steps[2]] })?.status).toBe("fail");
      const wrongLength = rubricSchema.safeParse([
        {
          ...base,
          id: "x",
          type: "ordered",
          path: "steps",
          missing: ["fail", "fail", "fail"],
          sequence: [{ action: "dark" }, { action: "ramp" }],
        },
      ]);
      expect(wrongLength.success).toBe(false);
      expect(JSON.stringify(wrongLength.error?.issues)).toContain("one entry per step of `sequence`");
    });

    it("a some rule scoped by where judges only those items, and with missing: judge-elsewhere passes when there are none", () => {
      const last = rubricSchema.parse([
        {
          ...base,
          id: "ramp-named",
          type: "some",
          path: "steps",
          where: { action: "ramp" },
          is: { name: "full" },
          missing: "judge-elsewhere",
        },
      ]);
      const status = (steps: unknown[]) => gradeRubric(last, { ...good, steps }, shape).tests[0]?.status;
      expect(status(good.steps.filter((s) => s.action !== "ramp"))).toBe("pass");
      expect(status(good.steps)).toBe("fail");
      // A matching value on a step outside the scope does not count.
      expect(status([...good.steps, { action: "dark", name: "full", rollback: "redeploy" }])).toBe("fail");
      expect(status([...good.steps, { action: "ramp", name: "full", rollback: "flag-off" }])).toBe("pass");
      expect(
        rubricSchema.safeParse([
          { ...base, id: "x", type: "some", path: "steps", is: { action: "ramp" }, missing: "judge-elsewhere" },
        ]).success,
      ).toBe(false);
    });

    it("with claims, an item offered for what the rule looks for but not fitting it fails the rule, though a right item is there", () => {
      const claimed = rubricSchema.parse([
        {
          ...base,
          id: "ramp-undone",
          type: "some",
          path: "steps",
          is: { action: "ramp", rollback: "flag-off" },
          claims: { where: { rollback: "flag-off" } },
        },
        {
          ...base,
          id: "wide",
          type: "some",
          path: "steps",
          is: { action: "ramp" },
          claims: { where: { rollback: "flag-off" }, fits: [{ action: { oneOf: ["ramp", "dark"] } }] },
        },
      ]);
      const status = (steps: unknown[], id: string) =>
        gradeRubric(claimed, { ...good, steps }, shape).tests.find((t) => t.id === id);
      expect(status(good.steps, "ramp-undone")?.status).toBe("pass");
      const stuffed = [...good.steps, { action: "drop", name: "drop it", rollback: "flag-off" }];
      const result = status(stuffed, "ramp-undone");
      expect(result?.status).toBe("fail");
      expect(result?.message).toContain("Item 4 (“drop it”)");
      // `fits` may be wider than what earns the rule, and never earns it on its own.
      expect(status([...good.steps, { action: "dark", rollback: "flag-off" }], "wide")?.status).toBe("pass");
      expect(status([{ action: "dark", rollback: "flag-off" }], "wide")?.status).toBe("fail");
      expect(status(stuffed, "wide")?.status).toBe("fail");
    });

    it("an every rule with anyOf and missing: judge-elsewhere judges only the items in scope, and passes when there are none", () => {
      const scoped = rubricSchema.parse([
        {
          ...base,
          id: "ramps-undone",
          type: "every",
          path: "steps",
          where: { action: "ramp" },
          missing: "judge-elsewhere",
          anyOf: [{ rollback: "flag-off" }, { rollback: "redeploy" }],
        },
      ]);
      const status = (steps: unknown[]) => gradeRubric(scoped, { ...good, steps }, shape).tests[0];
      expect(status(good.steps)?.status).toBe("pass");
      expect(status(good.steps.filter((s) => s.action !== "ramp"))?.status).toBe("pass");
      const wrong = status([...good.steps, { action: "ramp", rollback: "restore" }]);
      expect(wrong?.status).toBe("fail");
      expect(wrong?.message).toContain("Item 4");
      expect(wrong?.message).toContain("Restore from backup");
    });

    it("checks that a fitsFor table covers every option of the field it depends on", () => {
      const partial = rubricSchema.parse([
        {
          ...base,
          id: "x",
          type: "every",
          path: "steps",
          is: { rollback: { fitsFor: { path: "action", table: { ramp: ["flag-off"], drop: ["sideways"] } } } },
        },
      ]);
      expect(checkRubric(partial, shape)).toEqual([
        {
          path: "rubric[0].is.rollback",
          message: '"sideways" is not an option of this field (options: flag-off, restore, redeploy)',
        },
        { path: "rubric[0].is.rollback.fitsFor.table", message: 'option "dark" of "action" has no entry' },
      ]);
    });
  });
});
