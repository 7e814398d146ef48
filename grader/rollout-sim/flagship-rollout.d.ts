/**
 * Types of the `flagship:rollout` module a TypeScript rollout policy imports. At run time
 * ./code-session.ts provides it inside the sandbox; the grader checks `plan` and every decision with
 * ./code-plan.ts. Keep the three in step, and with the prompt of exercises/rollout-policy-code.
 */
declare module "flagship:rollout" {
  export type MetricName = "errorRate" | "latencyP50" | "latencyP95" | "latencyP99" | "shownRate" | "receivedRate";
  /** "all" is the whole service; the others are one cohort each. */
  export type GroupKey =
    "all" | "city:metro" | "city:riverside" | "city:harbor" | "appVersion:5.1" | "appVersion:5.0" | "appVersion:4.9";

  export interface Watch {
    metric: MetricName;
    /** none (the default): the whole service, group "all"; city or appVersion: each of its cohorts. */
    breakdown?: "none" | "city" | "appVersion";
  }

  export interface Plan {
    /** Treatment percentages in order, rising; the last must be 100. */
    steps: number[];
    /** Minutes after which a step moves on by itself: one for every step, or one per step before 100% (1..720). */
    bakeMinutes: number | number[];
    /** Minutes at the start of a step before the first look (0..30, default 5). */
    warmupMinutes?: number;
    /** Minutes between looks after the warm-up (1..30, default 5). */
    checkEveryMinutes?: number;
    /** What decide sees: only these metrics, only in these groups (1 to 12 watches). */
    watch: Watch[];
  }

  /**
   * One arm's minute in one group. `requests` is always there; the other fields only for the metrics
   * watched in that group (errors and errorRate for errorRate, p99 for latencyP99, and so on). A rate
   * or percentile is null in a minute without requests.
   */
  export interface GroupMinute {
    requests: number;
    errors?: number;
    errorRate?: number | null;
    p50?: number | null;
    p95?: number | null;
    p99?: number | null;
    eligible?: number;
    shown?: number;
    shownRate?: number | null;
    selectedWithDriver?: number;
    received?: number;
    receivedRate?: number | null;
  }

  export interface Minute {
    /** Minute since the rollout began (0 is the first minute of the first step). */
    minute: number;
    /** Minute of the day (0..1439): traffic peaks at 18:00. */
    minuteOfDay: number;
    /** The watched groups, each arm's own. */
    control: Partial<Record<GroupKey, GroupMinute>>;
    treatment: Partial<Record<GroupKey, GroupMinute>>;
  }

  /** What decide is shown at each look. */
  export interface StepView {
    /** Index of the current step in plan.steps. */
    step: number;
    /** The treatment's share of users now, in percent. */
    percent: number;
    /** Minutes since the rollout began. */
    minute: number;
    minutesInStep: number;
    /** This step's bake time: past it, the ramp moves on by itself. */
    bakeMinutes: number;
    /** Every minute of this step so far, oldest first. */
    minutes: Minute[];
  }

  export interface Rollback {
    action: "rollback";
    /** The evidence: a watched metric, in a group where it is watched. */
    metric: MetricName;
    group: GroupKey;
    /** What you saw, in words (up to 500 characters). */
    evidence?: string;
  }

  /** "hold": keep watching (the step ends when its bake is over); "advance": next step now; or roll back. */
  export type Decision = "advance" | "hold" | Rollback;

  export const METRICS: MetricName[];
  export const GROUPS: GroupKey[];
}
