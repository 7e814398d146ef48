/**
 * Judges one watched metric over the minutes of the current step: does its rule say the treatment
 * is worse than control? Differences are always taken in the harmful direction (errors and latency
 * up, shown and received rates down), so a positive number is bad news whatever the metric.
 */
import type { DecisionRule, MetricName, Watch } from "./policy-schema";
import { COHORT_VALUES } from "./model";
import { ALL, groupKey, type GroupKey, type GroupMetrics, type MinuteRecord } from "./simulate";
import { mannWhitneyU } from "./stats";

/** Errors and latency hurt when they rise; the funnel rates hurt when they fall. */
const HIGHER_IS_WORSE: Record<MetricName, boolean> = {
  errorRate: true,
  latencyP50: true,
  latencyP95: true,
  latencyP99: true,
  shownRate: false,
  receivedRate: false,
};

/** Numerator and denominator of a count metric, counted as failures (errors, not shown, not served). */
function failures(metric: MetricName, g: GroupMetrics): { failed: number; total: number } {
  if (metric === "errorRate") return { failed: g.errors, total: g.requests };
  if (metric === "shownRate") return { failed: g.eligible - g.shown, total: g.eligible };
  return { failed: g.selectedWithDriver - g.received, total: g.selectedWithDriver };
}

/** Failures and their denominator, summed over minutes or cohorts. */
function failuresIn(metric: MetricName, groups: readonly GroupMetrics[]): { failed: number; total: number } {
  let failed = 0;
  let total = 0;
  for (const g of groups) {
    const f = failures(metric, g);
    failed += f.failed;
    total += f.total;
  }
  return { failed, total };
}

function minuteValue(metric: MetricName, g: GroupMetrics): number | null {
  if (metric === "latencyP50") return g.p50;
  if (metric === "latencyP95") return g.p95;
  if (metric === "latencyP99") return g.p99;
  if (metric === "errorRate") return g.errorRate;
  if (metric === "shownRate") return g.shownRate;
  return g.receivedRate;
}

/** The metric over a window: rates pooled as total numerator over total denominator, percentiles as a request-weighted mean. */
function pooled(metric: MetricName, groups: GroupMetrics[]): number | null {
  if (metric === "latencyP50" || metric === "latencyP95" || metric === "latencyP99") {
    let weight = 0;
    let sum = 0;
    for (const g of groups) {
      const v = minuteValue(metric, g);
      if (v !== null) {
        sum += v * g.requests;
        weight += g.requests;
      }
    }
    return weight > 0 ? sum / weight : null;
  }
  const { failed, total } = failuresIn(metric, groups);
  if (total === 0) return null;
  return metric === "errorRate" ? failed / total : 1 - failed / total;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface Verdict {
  /** The rule says roll back. */
  worse: boolean;
  /** The evidence in words, cited in the decision log. */
  evidence: string;
}

const fmt = (metric: MetricName, v: number) =>
  metric.startsWith("latency") ? `${v.toFixed(0)} ms` : `${(v * 100).toFixed(2)}%`;

export function judgeGroup(
  metric: MetricName,
  rule: DecisionRule,
  window: readonly MinuteRecord[],
  key: GroupKey,
): Verdict {
  const control = window.map((m) => m.arms.control[key]).filter((g): g is GroupMetrics => g !== undefined);
  const treatment = window.map((m) => m.arms.treatment[key]).filter((g): g is GroupMetrics => g !== undefined);
  const sign = HIGHER_IS_WORSE[metric] ? 1 : -1;
  if (rule.kind === "threshold") {
    const requests = treatment.reduce((s, g) => s + g.requests, 0);
    const c = pooled(metric, control);
    const t = pooled(metric, treatment);
    if (c === null || t === null || requests < rule.minRequests)
      return { worse: false, evidence: `${metric}: too little data (${requests} treatment requests)` };
    const diff = sign * (t - c);
    const measured = rule.mode === "absolute" ? diff : c > 0 ? diff / c : diff > 0 ? Infinity : 0;
    const shown = rule.mode === "absolute" ? fmt(metric, Math.abs(diff)) : `${(measured * 100).toFixed(1)}%`;
    return {
      worse: measured > rule.max,
      evidence: `${metric} treatment ${fmt(metric, t)} vs control ${fmt(metric, c)} (${diff >= 0 ? "worse" : "better"} by ${shown}, limit ${rule.mode === "absolute" ? rule.max : `${rule.max * 100}%`})`,
    };
  }
  if (rule.kind === "mann-whitney") {
    const cs = control
      .map((g) => minuteValue(metric, g))
      .filter((v): v is number => v !== null)
      .map((v) => sign * v);
    const ts = treatment
      .map((g) => minuteValue(metric, g))
      .filter((v): v is number => v !== null)
      .map((v) => sign * v);
    if (cs.length < 2 || ts.length < 2) return { worse: false, evidence: `${metric}: too few minutes to compare` };
    const test = mannWhitneyU(ts, cs);
    const mc = median(cs);
    const effect = mc !== 0 ? (median(ts) - mc) / Math.abs(mc) : 0;
    const worse = test.pGreater < rule.alpha && effect >= rule.minEffect;
    return {
      worse,
      evidence: `${metric} per-minute series: Mann–Whitney U=${test.u}, z=${test.z.toFixed(2)}, p=${test.pGreater.toPrecision(2)} (alpha ${rule.alpha}); median ${effect >= 0 ? "worse" : "better"} by ${(Math.abs(effect) * 100).toFixed(1)}% over ${ts.length} minutes`,
    };
  }
  // Sequential probability ratio test of "the treatment fails as often as control" against "it fails
  // (1 + minIncrease) times as often". Control's rate is itself a noisy estimate (a small city's
  // control arm may see a handful of errors in a step), so the test conditions on the failures of both
  // arms: given F failures in all, the treatment's share of them is binomial, with probability
  // nT / (nT + nC) if the arms are alike and nT(1+m) / (nT(1+m) + nC) if the treatment is worse.
  // Plugging control's rate in as the known baseline instead made a healthy treatment in Harbor look
  // worse whenever control happened to see few errors (about 1% of healthy days, measured).
  const { failed: failedT, total: totalT } = failuresIn(metric, treatment);
  const { failed: failedC, total: totalC } = failuresIn(metric, control);
  if (totalC === 0 || totalT === 0) return { worse: false, evidence: `${metric}: no data yet` };
  const share0 = totalT / (totalT + totalC);
  const share1 = (totalT * (1 + rule.minIncrease)) / (totalT * (1 + rule.minIncrease) + totalC);
  const llr = failedT * Math.log(share1 / share0) + failedC * Math.log((1 - share1) / (1 - share0));
  const upper = Math.log((1 - rule.beta) / rule.alpha);
  const rate = (f: number, n: number) => `${((f / n) * 100).toFixed(2)}%`;
  return {
    worse: llr >= upper,
    evidence: `${metric} failures: treatment ${failedT}/${totalT} (${rate(failedT, totalT)}) vs control ${failedC}/${totalC} (${rate(failedC, totalC)}); SPRT log-likelihood ratio ${llr.toFixed(2)} (roll back at ${upper.toFixed(2)})`,
  };
}

export interface Trigger {
  metric: MetricName;
  /** "all" or the cohort that was worse, e.g. "city:harbor". */
  group: GroupKey;
  /** The policy's rule that fired; `judgement`: a person decided (interactive mode); `function`: a TypeScript policy did (code-policy.ts). Either cites this metric and group. */
  rule: DecisionRule["kind"] | "judgement" | "function";
  evidence: string;
}

/**
 * A breakdown asks one question per cohort, so a test at significance alpha would fire on noise
 * about k times as often as the policy says. Each cohort gets alpha / k (Bonferroni), which keeps the
 * chance that any of them fires on a healthy treatment at alpha. A threshold has no alpha to split.
 */
function perCohortRule(rule: DecisionRule, cohorts: number): DecisionRule {
  if (cohorts <= 1 || rule.kind === "threshold") return rule;
  return { ...rule, alpha: rule.alpha / cohorts };
}

/** Judges a watch over the window: the whole service, or every cohort of its breakdown. */
export function judgeWatch(watch: Watch, window: readonly MinuteRecord[]): Trigger | undefined {
  const keys =
    watch.breakdown === "none"
      ? [ALL]
      : COHORT_VALUES[watch.breakdown].map((v) => groupKey(watch.breakdown as "city" | "appVersion", v));
  const rule = perCohortRule(watch.rule, keys.length);
  for (const key of keys) {
    const verdict = judgeGroup(watch.metric, rule, window, key);
    if (verdict.worse) return { metric: watch.metric, group: key, rule: rule.kind, evidence: verdict.evidence };
  }
  return undefined;
}
