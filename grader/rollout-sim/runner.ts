/**
 * Runs a rollout policy against one scenario and seed, minute by minute: ramp, bake, judge the
 * watched metrics on the current step's minutes, roll back on the first rule that fires. Then scores
 * the run: caught or not and at what exposure, false rollback, harm, time to 100%.
 *
 * The rollout is over once it reaches 100% (no control arm is left to compare with) or is rolled
 * back; harm is counted to a fixed horizon either way, so a policy that ships a bug to everyone and
 * stops looking pays for every minute after.
 */
import { judgeWatch, type Trigger } from "./decide";
import { cohortShare } from "./model";
import { bakeOf, type RolloutPolicy } from "./policy-schema";
import { combineSeeds } from "./prng";
import { harmRateAt, SCENARIOS, type Scenario } from "./scenarios";
import { groupKey, simulateMinute, type MinuteRecord } from "./simulate";

/** Minutes after the rollout starts over which harm is counted: a working day. */
export const HORIZON_MINUTES = 720;

export interface RunOutcome {
  scenario: string;
  seed: number;
  /** rolled-back, completed (reached 100%), or still ramping when the horizon came. */
  end: "rolled-back" | "completed" | "unfinished";
  /** Minute of the rollback or of reaching 100%. */
  endMinute: number | null;
  /** Treatment percentage when the policy rolled back. */
  rollbackPercent: number | null;
  trigger: Trigger | null;
  /** A regression was rolled back once it had begun, on evidence where it shows (evidenceFits). */
  caught: boolean;
  /** Rolled back when rolling back was wrong: no regression, before it began, or on evidence where it does not show. */
  falseRollback: boolean;
  /** Σ over minutes of exposure (0..1) × severity × strength: full-traffic minutes of full-strength harm. */
  harm: number;
  /** Minute the treatment reached 100%, if it did. */
  reachedFullAt: number | null;
}

/**
 * Whether a rollback rests on evidence of the scenario's regression: a metric where it shows (a slow
 * tail shows in p95 as well as p99, if faintly), in a group that holds the affected traffic. A
 * regression in one city shows in that city, and faintly in the whole service and in every app
 * version, but not at all in the other cities. A rollback on anything else is luck: a policy that
 * rolls back on chance would otherwise "catch" every regression. `exactCohort` asks for the cohort
 * itself (interactive mode, where the student chooses what to cite).
 */
export function evidenceFits(
  scenario: Scenario,
  trigger: Pick<Trigger, "metric" | "group">,
  options: { exactCohort?: boolean } = {},
): boolean {
  const metrics: string[] = scenario.visibleIn === "latencyP99" ? ["latencyP95", "latencyP99"] : [scenario.visibleIn];
  if (!metrics.includes(trigger.metric)) return false;
  if (!scenario.breakdown) return true;
  const cohort = groupKey(scenario.breakdown.dimension, scenario.breakdown.value);
  if (options.exactCohort) return trigger.group === cohort;
  return trigger.group === cohort || !trigger.group.startsWith(`${scenario.breakdown.dimension}:`);
}

/** Where the effect of a scenario starts (the earliest treatment effect), for telling a catch from luck. */
export function onsetOf(scenario: Scenario): number {
  const starts = scenario.effects.filter((e) => e.arms === "treatment").map((e) => e.from);
  return starts.length ? Math.min(...starts) : Infinity;
}

export function runPolicy(
  policy: RolloutPolicy,
  scenario: Scenario,
  seed: number,
  onMinute?: (record: MinuteRecord) => void,
): RunOutcome {
  let minute = 0;
  let harm = 0;
  const base = { scenario: scenario.id, seed };
  const exposeUntilHorizon = (from: number, percent: number) => {
    for (let m = from; m < HORIZON_MINUTES; m++) harm += (percent / 100) * harmRateAt(scenario, m, cohortShare);
  };
  for (let index = 0; index < policy.steps.length; index++) {
    const percent = policy.steps[index] as number;
    if (percent >= 100) {
      exposeUntilHorizon(minute, 100);
      return {
        ...base,
        end: "completed",
        endMinute: minute,
        rollbackPercent: null,
        trigger: null,
        caught: false,
        falseRollback: false,
        harm,
        reachedFullAt: minute,
      };
    }
    const bake = bakeOf(policy, index);
    const window: MinuteRecord[] = [];
    for (let i = 0; i < bake; i++, minute++) {
      if (minute >= HORIZON_MINUTES)
        return {
          ...base,
          end: "unfinished",
          endMinute: null,
          rollbackPercent: null,
          trigger: null,
          caught: false,
          falseRollback: false,
          harm,
          reachedFullAt: null,
        };
      const record = simulateMinute(scenario, seed, minute, percent);
      onMinute?.(record);
      window.push(record);
      harm += (percent / 100) * harmRateAt(scenario, minute, cohortShare);
      const elapsed = i + 1;
      if (elapsed < policy.warmupMinutes || (elapsed - policy.warmupMinutes) % policy.checkEveryMinutes !== 0) continue;
      for (const watch of policy.metrics) {
        const trigger = judgeWatch(watch, window);
        if (!trigger) continue;
        const caught = scenario.regression && minute >= onsetOf(scenario) && evidenceFits(scenario, trigger);
        return {
          ...base,
          end: "rolled-back",
          endMinute: minute + 1,
          rollbackPercent: percent,
          trigger,
          caught,
          falseRollback: !caught,
          harm,
          reachedFullAt: null,
        };
      }
    }
  }
  // Unreachable for a valid policy (its last step is 100), kept so a bad one cannot claim completion.
  return {
    ...base,
    end: "unfinished",
    endMinute: null,
    rollbackPercent: null,
    trigger: null,
    caught: false,
    falseRollback: false,
    harm,
    reachedFullAt: null,
  };
}

/** The hidden seeds of a grading: `perScenario` seeds for every scenario, derived from one grading seed. */
export function hiddenSeeds(gradingSeed: number, perScenario: number): { scenario: Scenario; seed: number }[] {
  return SCENARIOS.flatMap((scenario, s) =>
    Array.from({ length: perScenario }, (_, k) => ({ scenario, seed: combineSeeds(gradingSeed, s + 1, k + 1) })),
  );
}

export function runAll(policy: RolloutPolicy, gradingSeed: number, perScenario: number): RunOutcome[] {
  return hiddenSeeds(gradingSeed, perScenario).map(({ scenario, seed }) => runPolicy(policy, scenario, seed));
}
