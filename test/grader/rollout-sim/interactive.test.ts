/**
 * Interactive mode without a server: a run is its seed and decisions, replays exactly, and is graded
 * on policy mode's dimensions, including whether the evidence a rollback cites fits the day.
 */
import { describe, expect, it } from "vitest";
import { gradingResultSchema, type GradingResult } from "../../../grader/result";
import { DEFAULT_ROLLOUT_GRADING } from "../../../grader/rollout-sim/grading-config";
import {
  BLOCK_MINUTES,
  replayRun,
  scenarioForSeed,
  type InteractiveDecision,
} from "../../../grader/rollout-sim/interactive";
import { gradeInteractiveRun } from "../../../grader/rollout-sim/interactive-grade";
import { SCENARIOS } from "../../../grader/rollout-sim/scenarios";

/** The first seeds (from 1) whose day plays each scenario. */
const seedOf = new Map<string, number>();
for (let seed = 1; seedOf.size < SCENARIOS.length && seed < 1000; seed++) {
  const id = scenarioForSeed(seed).id;
  if (!seedOf.has(id)) seedOf.set(id, seed);
}
const seedFor = (id: string) => seedOf.get(id) as number;

const hold = (metric: InteractiveDecision["metric"] = "errorRate", group = "all"): InteractiveDecision => ({
  action: "hold",
  metric,
  group,
});
const advance = (metric: InteractiveDecision["metric"] = "errorRate", group = "all"): InteractiveDecision => ({
  action: "advance",
  metric,
  group,
});
const rollback = (metric: InteractiveDecision["metric"], group = "all"): InteractiveDecision => ({
  action: "rollback",
  metric,
  group,
});
const failing = (r: GradingResult | null) =>
  r
    ? r.tests
        .filter((t) => t.status === "fail")
        .map((t) => t.id)
        .sort()
    : ["(not over)"];
const grade = (seed: number, decisions: InteractiveDecision[]) =>
  gradeInteractiveRun(replayRun(seed, decisions), DEFAULT_ROLLOUT_GRADING);

describe("an interactive ramp day", () => {
  it("draws every scenario from some seed, and replays exactly from the seed and the decisions", () => {
    expect([...seedOf.keys()].sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
    const decisions = [hold(), advance(), hold("latencyP99", "city:harbor")];
    const a = replayRun(4711, decisions);
    expect(replayRun(4711, decisions)).toEqual(a);
    expect(a.records).toHaveLength(4 * BLOCK_MINUTES);
    expect(a.percent).toBe(5);
    expect(a.outcome).toBeNull();
    expect(a.log.map((d) => [d.minute, d.percent, d.action])).toEqual([
      [10, 1, "hold"],
      [20, 1, "advance"],
      [30, 5, "hold"],
    ]);
    expect(gradeInteractiveRun(a, DEFAULT_ROLLOUT_GRADING)).toBeNull();
  });

  it("gives full marks for rolling back a real regression early on the metric that shows it, in the one result shape", () => {
    const result = grade(seedFor("error-regression"), [hold(), rollback("errorRate")]);
    expect(result && gradingResultSchema.parse(result)).toEqual(result);
    expect(failing(result)).toEqual([]);
    expect(result?.score).toBe(6);
    expect(result?.tests.every((t) => t.link?.startsWith("/modules/"))).toBe(true);
    expect(result?.details).toMatchObject({
      scenario: "error-regression",
      end: "rolled-back",
      rollbackPercent: 1,
      caught: true,
      decisions: [{ action: "hold" }, { action: "rollback", metric: "errorRate" }],
    });
  });

  it("loses the evidence rule when the rollback cites a metric where the regression does not show", () => {
    const result = grade(seedFor("cohort-regression"), [rollback("errorRate", "all")]);
    expect(failing(result)).toEqual(["evidence-fits"]);
    expect(result?.tests.find((t) => t.id === "evidence-fits")?.message).toBe(
      "The regression shows in errorRate in city harbor; your rollback cited errorRate (all).",
    );
    expect(failing(grade(seedFor("cohort-regression"), [rollback("errorRate", "city:harbor")]))).toEqual([]);
  });

  it("charges exposure and harm for a regression shipped to everyone, and for one caught late", () => {
    const shipped = grade(seedFor("p99-regression"), [advance(), advance(), advance(), advance()]);
    expect(failing(shipped)).toEqual(["catches-regression", "caught-early", "evidence-fits"]);
    expect((shipped?.details as { harm: number }).harm).toBeGreaterThan(100);
    expect(shipped?.tests.find((t) => t.id === "caught-early")?.message).toMatch(
      /^No rollback: the regression reached 100% of users; harm \d/,
    );
    const late = grade(seedFor("p99-regression"), [advance(), advance(), advance(), rollback("latencyP99")]);
    expect(failing(late)).toEqual(["caught-early"]);
  });

  it("calls a rollback of a healthy treatment false, and a ramp to 100% in time right", () => {
    const noise = seedFor("noise");
    expect(failing(grade(noise, [advance(), advance(), advance(), advance()]))).toEqual([]);
    expect(failing(grade(noise, [hold(), rollback("errorRate")]))).toEqual([
      "no-false-rollback",
      "reaches-full-rollout",
    ]);
    const incident = grade(seedFor("global-incident"), [
      hold(),
      hold(),
      hold(),
      hold(),
      advance(),
      advance(),
      advance(),
      advance(),
    ]);
    expect(failing(incident)).toEqual([]);
    expect(incident?.tests.find((t) => t.id === "no-false-rollback")?.message).toMatch(
      /^This was “A global incident hitting both arms”/,
    );
  });

  it("ignores decisions after the day is over", () => {
    const seed = seedFor("noise");
    const over = replayRun(seed, [rollback("errorRate"), advance(), advance()]);
    expect(over.log).toHaveLength(1);
    expect(over.outcome?.end).toBe("rolled-back");
  });
});
