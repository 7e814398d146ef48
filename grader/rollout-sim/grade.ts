/**
 * Grades a rollout policy: runs it over the hidden seeds of every scenario and turns the outcomes into
 * the one result shape, one rule per lesson, each failure naming a seed a TA can replay.
 */
import {
  compileErrorResult,
  finishResult,
  roundPoints,
  type GradingResult,
  type JsonValue,
  type TestResult,
} from "../result";
import { DEFAULT_ROLLOUT_GRADING, type RolloutGrading, type RolloutRule, type RolloutRuleId } from "./grading-config";
import { parsePolicy, parsePolicyText, type PolicyParse, type RolloutPolicy, type Watch } from "./policy-schema";
import { evidenceFits, runAll, type RunOutcome } from "./runner";
import { SCENARIOS } from "./scenarios";

type Check = { pass: boolean; message: string };

const range = (values: number[], unit = "") => {
  if (values.length === 0) return "n/a";
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${lo}${unit}` : `${lo}${unit}–${hi}${unit}`;
};

export function describeOutcome(o: RunOutcome): string {
  if (o.end === "rolled-back" && o.falseRollback && o.trigger && evidenceMissed(o))
    return `seed ${o.seed}: rolled back at ${o.rollbackPercent}% in minute ${o.endMinute}, but on ${o.trigger.metric}${o.trigger.group !== "all" ? ` (${o.trigger.group})` : ""}, where this regression does not show: luck, not evidence (${o.trigger.evidence})`;
  if (o.end === "rolled-back")
    return `seed ${o.seed}: rolled back at ${o.rollbackPercent}% in minute ${o.endMinute}, on ${o.trigger?.metric}${o.trigger && o.trigger.group !== "all" ? ` (${o.trigger.group})` : ""}: ${o.trigger?.evidence}`;
  if (o.end === "completed")
    return `seed ${o.seed}: reached 100% at minute ${o.reachedFullAt} without rolling back; harm ${o.harm.toFixed(1)}`;
  return `seed ${o.seed}: still ramping when the day ended; harm ${o.harm.toFixed(1)}`;
}

/** A rollback of a real regression, once it had begun, on a metric or cohort where it does not show. */
function evidenceMissed(o: RunOutcome): boolean {
  const scenario = SCENARIOS.find((s) => s.id === o.scenario);
  return scenario !== undefined && scenario.regression && o.trigger !== null && !evidenceFits(scenario, o.trigger);
}

function catches(outcomes: RunOutcome[], grading: RolloutGrading): Check {
  const late = outcomes.filter((o) => !o.caught || (o.rollbackPercent ?? 100) > grading.maxCatchPercent);
  const caught = outcomes.filter((o) => o.caught);
  const summary = `caught on ${caught.length} of ${outcomes.length} seeds, at ${range(
    caught.map((o) => o.rollbackPercent ?? 0),
    "%",
  )} exposure, by minute ${range(caught.map((o) => o.endMinute ?? 0))}; harm ${range(outcomes.map((o) => roundPoints(o.harm)))}`;
  const first = late[0];
  if (!first) return { pass: true, message: `Rolled back in time: ${summary}.` };
  return {
    pass: false,
    message: `Not rolled back at or below ${grading.maxCatchPercent}% on ${late.length} of ${outcomes.length} seeds (${summary}). For example, ${describeOutcome(first)}.`,
  };
}

function noFalseRollback(outcomes: RunOutcome[]): Check {
  const wrong = outcomes.filter((o) => o.falseRollback);
  const first = wrong[0];
  if (!first) return { pass: true, message: `No rollback on any of ${outcomes.length} seeds.` };
  return {
    pass: false,
    message: `Rolled back on ${wrong.length} of ${outcomes.length} seeds where the treatment was fine. For example, ${describeOutcome(first)}.`,
  };
}

function reachesFull(outcomes: RunOutcome[], grading: RolloutGrading): Check {
  const slow = outcomes.filter((o) => o.reachedFullAt === null || o.reachedFullAt > grading.maxMinutesToFull);
  const times = outcomes.flatMap((o) => (o.reachedFullAt === null ? [] : [o.reachedFullAt]));
  const first = slow[0];
  if (!first)
    return { pass: true, message: `Reached 100% after ${range(times, " min")} on every seed without a regression.` };
  return {
    pass: false,
    message: `Did not reach 100% within ${grading.maxMinutesToFull} minutes on ${slow.length} of ${outcomes.length} seeds of pure noise. For example, ${describeOutcome(first)}.`,
  };
}

/** What a policy says it looks at: the static rules read this, from a YAML policy's metrics or a TypeScript plan's watch list. */
export type WatchedMetric = Pick<Watch, "metric" | "breakdown">;

function evaluate(
  id: RolloutRuleId,
  watched: readonly WatchedMetric[],
  by: (scenario: string) => RunOutcome[],
  grading: RolloutGrading,
): Check {
  switch (id) {
    case "catches-error-regression":
      return catches(by("error-regression"), grading);
    case "catches-p99-regression":
      return catches(by("p99-regression"), grading);
    case "catches-slow-leak":
      return catches(by("slow-leak"), grading);
    case "catches-cohort-regression":
      return catches(by("cohort-regression"), grading);
    case "no-rollback-on-noise":
      return noFalseRollback(by("noise"));
    case "no-rollback-on-global-incident":
      return noFalseRollback(by("global-incident"));
    case "reaches-full-rollout":
      return reachesFull(by("noise"), grading);
    case "watches-p99": {
      const pass = watched.some((w) => w.metric === "latencyP99");
      return {
        pass,
        message: pass
          ? "latencyP99 is watched."
          : `The policy watches ${watched.map((w) => w.metric).join(", ") || "no metric"}; none of them sees a slow tail.`,
      };
    }
    case "watches-cohorts": {
      const watch = watched.find((w) => w.breakdown !== "none");
      return {
        pass: watch !== undefined,
        message: watch
          ? `${watch.metric} is judged per ${watch.breakdown}.`
          : "Every metric is judged over the whole service only.",
      };
    }
  }
}

function toTest(rule: RolloutRule, check: Check): TestResult {
  return {
    id: rule.id,
    name: rule.name,
    status: check.pass ? "pass" : "fail",
    points: check.pass ? rule.points : 0,
    maxPoints: rule.points,
    message: check.message,
    link: rule.link,
    ...(check.pass ? {} : { hint: rule.hint }),
  };
}

/** Per-scenario figures for the result page: what happened on each hidden seed. */
function detailsOf(grading: RolloutGrading, outcomes: RunOutcome[]): { [key: string]: JsonValue } {
  return {
    seed: grading.seed,
    seedsPerScenario: grading.seedsPerScenario,
    runs: outcomes.map((o) => ({
      scenario: o.scenario,
      seed: o.seed,
      end: o.end,
      endMinute: o.endMinute,
      rollbackPercent: o.rollbackPercent,
      caught: o.caught,
      falseRollback: o.falseRollback,
      harm: roundPoints(o.harm),
      reachedFullAt: o.reachedFullAt,
      trigger: o.trigger
        ? { metric: o.trigger.metric, group: o.trigger.group, rule: o.trigger.rule, evidence: o.trigger.evidence }
        : null,
    })),
  };
}

/** The rules over the outcomes of every hidden day, whoever made the decisions (a YAML policy or a TypeScript one). */
export function gradeOutcomes(
  outcomes: RunOutcome[],
  watched: readonly WatchedMetric[],
  grading: RolloutGrading,
  extra: { [key: string]: JsonValue } = {},
): GradingResult {
  const by = (scenario: string) => outcomes.filter((o) => o.scenario === scenario);
  const tests = grading.rules.map((rule) => toTest(rule, evaluate(rule.id, watched, by, grading)));
  const details = detailsOf(grading, outcomes);
  return finishResult(tests, { executions: outcomes.length, details: { ...details, ...extra } });
}

export function gradePolicy(policy: RolloutPolicy, grading: RolloutGrading = DEFAULT_ROLLOUT_GRADING): GradingResult {
  return gradeOutcomes(runAll(policy, grading.seed, grading.seedsPerScenario), policy.metrics, grading);
}

function fromParse(parsed: PolicyParse, grading: RolloutGrading): GradingResult {
  if (parsed.ok) return gradePolicy(parsed.policy, grading);
  const maxScore = roundPoints(grading.rules.reduce((s, r) => s + r.points, 0));
  return compileErrorResult(
    maxScore,
    `The policy is not valid:\n${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
  );
}

/** Grades a submitted policy text; a policy that does not parse is feedback, not an attempt. */
export function gradePolicyText(
  text: string,
  format: "yaml" | "json",
  grading: RolloutGrading = DEFAULT_ROLLOUT_GRADING,
): GradingResult {
  return fromParse(parsePolicyText(text, format), grading);
}

export function gradePolicyValue(value: unknown, grading: RolloutGrading = DEFAULT_ROLLOUT_GRADING): GradingResult {
  return fromParse(parsePolicy(value), grading);
}
