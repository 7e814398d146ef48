/**
 * One ramp day driven by decisions from outside: the trusted half of a TypeScript policy. The day is
 * simulated here, in the grader, minute by minute as runner.ts does for a YAML policy; at each look
 * it hands out the minutes since the last look (only the metrics and groups the plan watches) and
 * waits for a decision. The outcome is built from this object's own record, never from anything the
 * sandbox says about the day: the sandbox only ever supplies the decisions, which are the student's
 * to make.
 *
 * Scoring is runner.ts's (harm to the horizon, `evidenceFits`, `onsetOf`), so a function that decides
 * as a YAML policy would gets that policy's outcome on every seed (test/grader/rollout-sim/code-policy.test.ts).
 */
import { watchedGroups, type CodePlan, type Decision } from "./code-plan";
import { cohortShare } from "./model";
import { bakeOf, type MetricName } from "./policy-schema";
import { evidenceFits, HORIZON_MINUTES, onsetOf, type RunOutcome } from "./runner";
import { harmRateAt, type Scenario } from "./scenarios";
import { ARMS, simulateMinute, type GroupKey, type GroupMetrics, type MinuteRecord } from "./simulate";
import type { JsonValue } from "../result";

/** The fields of a group's minute that belong to each metric; `requests` is always there. */
const FIELDS: Record<MetricName, (keyof GroupMetrics)[]> = {
  errorRate: ["errors", "errorRate"],
  latencyP50: ["p50"],
  latencyP95: ["p95"],
  latencyP99: ["p99"],
  shownRate: ["eligible", "shown", "shownRate"],
  receivedRate: ["selectedWithDriver", "received", "receivedRate"],
};

/** What `decide` is told at a look: where the ramp is, and the step's minutes it has not yet seen. */
export interface Look {
  step: number;
  percent: number;
  /** Minutes since the rollout began, this look's included. */
  minute: number;
  minutesInStep: number;
  bakeMinutes: number;
  /** The minutes of this step since the previous look (all of them at a step's first look). */
  minutes: JsonValue[];
}

export class RampDay {
  private step = 0;
  private minute = 0;
  private harm = 0;
  private inStep = 0;
  private sent = 0;
  private window: MinuteRecord[] = [];
  private result: RunOutcome | undefined;
  private waiting = false;
  private readonly groups: Map<GroupKey, Set<MetricName>>;
  /** Looks handed out: each is one decision the sandbox owes. */
  looks = 0;

  constructor(
    readonly plan: CodePlan,
    readonly scenario: Scenario,
    readonly seed: number,
  ) {
    this.groups = watchedGroups(plan);
  }

  /** The day's outcome, once it is over. */
  get outcome(): RunOutcome | undefined {
    return this.result;
  }

  /** Minutes simulated so far: the minute of the look last handed out. */
  get minutesElapsed(): number {
    return this.minute;
  }

  /** A look is out and its decision has not come back. */
  get awaitingDecision(): boolean {
    return this.waiting;
  }

  /** Simulates up to the next look and returns it, or undefined once the day is over. */
  next(): Look | undefined {
    if (this.waiting) throw new Error("a look is still waiting for its decision");
    for (;;) {
      if (this.result) return undefined;
      const percent = this.plan.steps[this.step] as number;
      if (percent >= 100) {
        this.exposeUntilHorizon(100);
        this.finish({ end: "completed", endMinute: this.minute, reachedFullAt: this.minute });
        return undefined;
      }
      const bake = bakeOf(this.plan, this.step);
      if (this.inStep >= bake) {
        this.nextStep();
        continue;
      }
      if (this.minute >= HORIZON_MINUTES) {
        this.finish({ end: "unfinished", endMinute: null, reachedFullAt: null });
        return undefined;
      }
      const record = simulateMinute(this.scenario, this.seed, this.minute, percent);
      this.window.push(record);
      this.harm += (percent / 100) * harmRateAt(this.scenario, this.minute, cohortShare);
      this.minute++;
      this.inStep++;
      const { warmupMinutes: warmup, checkEveryMinutes: every } = this.plan;
      if (this.inStep < warmup || (this.inStep - warmup) % every !== 0) continue;
      this.waiting = true;
      this.looks++;
      const fresh = this.window.slice(this.sent).map((m) => this.view(m));
      this.sent = this.window.length;
      return {
        step: this.step,
        percent,
        minute: this.minute,
        minutesInStep: this.inStep,
        bakeMinutes: bake,
        minutes: fresh,
      };
    }
  }

  /** Applies the decision on the look last handed out. */
  decide(decision: Decision): void {
    if (!this.waiting) throw new Error("no look is waiting for a decision");
    this.waiting = false;
    if (decision === "hold") return;
    if (decision === "advance") return this.nextStep();
    const trigger = {
      metric: decision.metric,
      group: decision.group,
      rule: "function" as const,
      evidence: decision.evidence,
    };
    // The rollback takes effect at the end of the minute just judged, as runner.ts counts it.
    const caught =
      this.scenario.regression && this.minute - 1 >= onsetOf(this.scenario) && evidenceFits(this.scenario, trigger);
    this.result = {
      scenario: this.scenario.id,
      seed: this.seed,
      end: "rolled-back",
      endMinute: this.minute,
      rollbackPercent: this.plan.steps[this.step] as number,
      trigger,
      caught,
      falseRollback: !caught,
      harm: this.harm,
      reachedFullAt: null,
    };
  }

  private nextStep(): void {
    this.step++;
    this.inStep = 0;
    this.sent = 0;
    this.window = [];
  }

  private exposeUntilHorizon(percent: number): void {
    for (let m = this.minute; m < HORIZON_MINUTES; m++)
      this.harm += (percent / 100) * harmRateAt(this.scenario, m, cohortShare);
  }

  private finish(end: Pick<RunOutcome, "end" | "endMinute" | "reachedFullAt">): void {
    this.result = {
      scenario: this.scenario.id,
      seed: this.seed,
      ...end,
      rollbackPercent: null,
      trigger: null,
      caught: false,
      falseRollback: false,
      harm: this.harm,
    };
  }

  /** A minute as `decide` sees it: per arm, the watched groups with the fields of their watched metrics. */
  private view(record: MinuteRecord): JsonValue {
    const arms: Record<string, JsonValue> = {};
    for (const arm of ARMS) {
      const groups: Record<string, JsonValue> = {};
      for (const [key, metrics] of this.groups) {
        const g = record.arms[arm][key];
        if (!g) continue;
        const fields: Record<string, number | null> = { requests: g.requests };
        for (const metric of metrics) for (const field of FIELDS[metric]) fields[field] = g[field];
        groups[key] = fields;
      }
      arms[arm] = groups;
    }
    return { minute: record.minute, minuteOfDay: record.minuteOfDay, ...arms };
  }
}
