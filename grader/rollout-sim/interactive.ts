/**
 * Interactive mode: a person runs one ramp day. The day's scenario and numbers follow from the seed
 * alone, and the run is nothing but the seed and the decisions taken, so a run replays exactly (a TA
 * who types the student's seed sees the same minutes) and the server stores only the decisions.
 *
 * The ramp climbs the steps below. Each decision comes after a block of ten minutes: advance to the
 * next step, hold the current one for another block, or roll back. Every decision cites the evidence
 * it rests on (a metric, and the whole service or one cohort).
 */
import { z } from "zod";
import { cohortShare } from "./model";
import { METRICS, type MetricName } from "./policy-schema";
import { combineSeeds } from "./prng";
import { HORIZON_MINUTES, onsetOf, type RunOutcome } from "./runner";
import { harmRateAt, SCENARIOS, type Scenario } from "./scenarios";
import { GROUP_KEYS, simulateMinute, type GroupKey, type MinuteRecord } from "./simulate";

export const INTERACTIVE_STEPS = [1, 5, 25, 50, 100] as const;
/** Minutes simulated between two decisions. */
export const BLOCK_MINUTES = 10;

export const ACTIONS = ["advance", "hold", "rollback"] as const;

export const decisionSchema = z.strictObject({
  action: z.enum(ACTIONS),
  /** The metric the decision rests on. */
  metric: z.enum(METRICS),
  /** Where it was read: the whole service ("all") or one cohort ("city:harbor"). */
  group: z.enum(GROUP_KEYS as [GroupKey, ...GroupKey[]]),
  /** What the student saw, in their words (optional). */
  note: z.string().trim().max(300).optional(),
});
export type InteractiveDecision = z.output<typeof decisionSchema>;

/** The scenario a seed's ramp day plays: every scenario equally often, unknown to the student until the end. */
export function scenarioForSeed(seed: number): Scenario {
  return SCENARIOS[combineSeeds(seed, 0x5ce7a210) % SCENARIOS.length] as Scenario;
}

export interface LoggedDecision extends InteractiveDecision {
  /** Minute of the day at which it was taken (after that many minutes of ramp). */
  minute: number;
  /** Treatment percentage when it was taken. */
  percent: number;
}

export interface ReplayedRun {
  seed: number;
  scenario: Scenario;
  records: MinuteRecord[];
  log: LoggedDecision[];
  /** Treatment percentage now (or when the run ended). */
  percent: number;
  /** Where in the ladder of INTERACTIVE_STEPS the ramp is. */
  stepIndex: number;
  /** Set once the run is over: rolled back, at 100%, or the day ran out. */
  outcome: RunOutcome | null;
}

/** Replays a run from its seed and decisions; decisions after the run ended are ignored. */
export function replayRun(seed: number, decisions: readonly InteractiveDecision[]): ReplayedRun {
  const scenario = scenarioForSeed(seed);
  const records: MinuteRecord[] = [];
  const log: LoggedDecision[] = [];
  let stepIndex = 0;
  let harm = 0;
  const percentNow = () => INTERACTIVE_STEPS[stepIndex] as number;
  const block = () => {
    for (let i = 0; i < BLOCK_MINUTES && records.length < HORIZON_MINUTES; i++) {
      const minute = records.length;
      records.push(simulateMinute(scenario, seed, minute, percentNow()));
      harm += (percentNow() / 100) * harmRateAt(scenario, minute, cohortShare);
    }
  };
  const base = { scenario: scenario.id, seed };
  const finish = (outcome: Omit<RunOutcome, "scenario" | "seed" | "harm">): RunOutcome => ({
    ...base,
    ...outcome,
    harm,
  });
  block();
  let outcome: RunOutcome | null = null;
  for (const decision of decisions) {
    if (outcome) break;
    const minute = records.length;
    log.push({ ...decision, minute, percent: percentNow() });
    if (decision.action === "rollback") {
      const caught = scenario.regression && minute > onsetOf(scenario);
      const trigger = {
        metric: decision.metric,
        group: decision.group,
        rule: "judgement" as const,
        evidence: `the student cited ${decision.metric} (${decision.group})${decision.note ? `: “${decision.note}”` : ""}`,
      };
      outcome = finish({
        end: "rolled-back",
        endMinute: minute,
        rollbackPercent: percentNow(),
        trigger,
        caught,
        falseRollback: !caught,
        reachedFullAt: null,
      });
      break;
    }
    if (decision.action === "advance") stepIndex = Math.min(stepIndex + 1, INTERACTIVE_STEPS.length - 1);
    if (percentNow() >= 100) {
      // At 100% no control arm is left to compare with: the rollout is over, and so is the looking.
      for (let m = minute; m < HORIZON_MINUTES; m++) harm += harmRateAt(scenario, m, cohortShare);
      outcome = finish({
        end: "completed",
        endMinute: minute,
        rollbackPercent: null,
        trigger: null,
        caught: false,
        falseRollback: false,
        reachedFullAt: minute,
      });
      break;
    }
    block();
    if (records.length >= HORIZON_MINUTES)
      outcome = finish({
        end: "unfinished",
        endMinute: null,
        rollbackPercent: null,
        trigger: null,
        caught: false,
        falseRollback: false,
        reachedFullAt: null,
      });
  }
  return { seed, scenario, records, log, percent: percentNow(), stepIndex, outcome };
}

/** The metric's value for one arm and group in one minute, in the unit charts show (percent or ms). */
export function metricValue(
  record: MinuteRecord,
  arm: "control" | "treatment",
  group: GroupKey,
  metric: MetricName,
): number | null {
  const g = record.arms[arm][group];
  if (!g) return null;
  switch (metric) {
    case "errorRate":
      return g.errorRate === null ? null : g.errorRate * 100;
    case "latencyP50":
      return g.p50;
    case "latencyP95":
      return g.p95;
    case "latencyP99":
      return g.p99;
    case "shownRate":
      return g.shownRate === null ? null : g.shownRate * 100;
    case "receivedRate":
      return g.receivedRate === null ? null : g.receivedRate * 100;
  }
}
