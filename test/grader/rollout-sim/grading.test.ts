/**
 * Policy mode end to end, on the real simulation and the default hidden seeds: the reference earns
 * full marks, the classic mistakes lose exactly the rules they should, a run replays exactly, bad
 * policies get messages naming the field, and every rule links to a real lecture heading.
 */
import { describe, expect, it } from "vitest";
import { readModuleAnchors } from "../../../grader/exercises/modules";
import { gradingResultSchema, type GradingResult } from "../../../grader/result";
import { gradePolicyText, gradePolicyValue } from "../../../grader/rollout-sim/grade";
import { DEFAULT_ROLLOUT_GRADING, rolloutGradingSchema } from "../../../grader/rollout-sim/grading-config";
import { parsePolicyText } from "../../../grader/rollout-sim/policy-schema";
import {
  REFERENCE_POLICY_YAML,
  RECKLESS_POLICY_YAML,
  TWITCHY_POLICY_YAML,
} from "../../../grader/rollout-sim/reference-policies";
import { runPolicy } from "../../../grader/rollout-sim/runner";
import { scenarioById } from "../../../grader/rollout-sim/scenarios";

const failing = (r: GradingResult) =>
  r.tests
    .filter((t) => t.status === "fail")
    .map((t) => t.id)
    .sort();

describe("grading rollout policies over the hidden seeds", () => {
  it("gives the reference policy full marks, in the one result shape", () => {
    const result = gradePolicyText(REFERENCE_POLICY_YAML, "yaml");
    expect(gradingResultSchema.parse(result)).toEqual(result);
    expect(result.status).toBe("graded");
    expect(failing(result)).toEqual([]);
    expect(result.score).toBe(result.maxScore);
    expect(result.maxScore).toBe(15);
    expect(result.executions).toBe(6 * DEFAULT_ROLLOUT_GRADING.seedsPerScenario);
    // The details say, per hidden seed, what happened and which metric decided.
    const runs = (
      result.details as {
        runs: { scenario: string; caught: boolean; trigger: { metric: string; group: string } | null }[];
      }
    ).runs;
    expect(
      runs.filter((r) => r.scenario === "p99-regression").every((r) => r.caught && r.trigger?.metric === "latencyP99"),
    ).toBe(true);
    expect(
      runs.filter((r) => r.scenario === "cohort-regression").every((r) => r.trigger?.group === "city:harbor"),
    ).toBe(true);
    expect(
      runs.filter((r) => r.scenario === "noise" || r.scenario === "global-incident").every((r) => r.trigger === null),
    ).toBe(true);
  });

  it("the reckless policy (straight to 100%, nothing watched) misses every regression and watches nothing", () => {
    const result = gradePolicyText(RECKLESS_POLICY_YAML, "yaml");
    expect(failing(result)).toEqual([
      "catches-cohort-regression",
      "catches-error-regression",
      "catches-p99-regression",
      "catches-slow-leak",
      "watches-cohorts",
      "watches-p99",
    ]);
    const leak = result.tests.find((t) => t.id === "catches-slow-leak");
    expect(leak?.message).toMatch(/reached 100% at minute 0/);
    expect(leak?.hint).toMatch(/bake/i);
    expect(leak?.link).toBe("/modules/dark-launches#incremental-ramp");
  });

  it("the twitchy policy (any difference rolls back) rolls back on noise and on the incident, never ships, and gets no credit for regressions it stopped by luck", () => {
    const result = gradePolicyText(TWITCHY_POLICY_YAML, "yaml");
    expect(failing(result)).toEqual([
      "catches-p99-regression",
      "catches-slow-leak",
      "no-rollback-on-global-incident",
      "no-rollback-on-noise",
      "reaches-full-rollout",
      "watches-cohorts",
      "watches-p99",
    ]);
    // It rolls the p99 regression back early too, but on the error rate, where that regression does not show.
    expect(result.tests.find((t) => t.id === "catches-p99-regression")?.message).toMatch(
      /but on errorRate, where this regression does not show: luck, not evidence/,
    );
    expect(result.tests.find((t) => t.id === "no-rollback-on-noise")?.message).toMatch(
      /Rolled back on \d of 4 seeds where the treatment was fine. For example, seed \d+: rolled back at 1%/,
    );
  });

  it("the reference without its p99 watch loses the tail-latency rules and nothing else", () => {
    const noTail = REFERENCE_POLICY_YAML.replace(/ {2}# Tail latency[\s\S]*$/, "");
    expect(noTail).not.toMatch(/latencyP99/);
    expect(failing(gradePolicyText(noTail, "yaml"))).toEqual(["catches-p99-regression", "watches-p99"]);
  });

  it("the reference judging errors only service-wide misses the one-city regression, and loses nothing else", () => {
    const noCohort = REFERENCE_POLICY_YAML.replace(/ {2}# The same per city[\s\S]*?minIncrease: 2 }\n/, "");
    expect(noCohort).not.toMatch(/breakdown/);
    const result = gradePolicyText(noCohort, "yaml");
    expect(failing(result)).toEqual(["catches-cohort-regression", "watches-cohorts"]);
    expect(result.tests.find((t) => t.id === "catches-cohort-regression")?.message).toMatch(
      /^Not rolled back at or below 25% on [1-4] of 4 seeds/,
    );
  });

  it("replays a run exactly: same policy, scenario and seed, same outcome", () => {
    const parsed = parsePolicyText(REFERENCE_POLICY_YAML, "yaml");
    if (!parsed.ok) throw new Error("reference does not parse");
    const a = runPolicy(parsed.policy, scenarioById("slow-leak"), 1234);
    expect(runPolicy(parsed.policy, scenarioById("slow-leak"), 1234)).toEqual(a);
    expect(a.caught).toBe(true);
    expect(a.harm).toBeGreaterThan(0);
  });

  it("accepts the same policy as JSON", () => {
    const parsed = parsePolicyText(RECKLESS_POLICY_YAML, "yaml");
    if (!parsed.ok) throw new Error("reckless does not parse");
    expect(failing(gradePolicyText(JSON.stringify(parsed.policy), "json"))).toEqual(
      failing(gradePolicyValue(parsed.policy)),
    );
  });
});

describe("bad policies get clear messages", () => {
  const issues = (text: string, format: "yaml" | "json" = "yaml") => {
    const parsed = parsePolicyText(text, format);
    return parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it("names each field that is wrong", () => {
    expect(issues("steps: [1, 5, 5, 100]\nbakeMinutes: 30\nmetrics: []\n")).toEqual([
      "steps[2]: must be above the step before it (5)",
    ]);
    expect(issues("steps: [1, 50]\nbakeMinutes: 30\nmetrics: []\n")).toEqual(["steps[1]: the last step must be 100"]);
    expect(issues("steps: [1, 50, 100]\nbakeMinutes: [30]\nmetrics: []\n")).toEqual([
      "bakeMinutes: give one bake time per step before 100% (2), not 1",
    ]);
    expect(issues("steps: [1, 100]\nbakeMinute: 30\nmetrics: []\n")).toEqual([
      "bakeMinutes: required",
      "bakeMinute: unknown field (check the spelling)",
    ]);
    expect(
      issues(
        "steps: [1, 100]\nbakeMinutes: 30\nmetrics:\n  - metric: latencyP99\n    rule: { kind: sprt, alpha: 0.01, beta: 0.1, minIncrease: 1 }\n",
      ),
    ).toEqual([
      "metrics[0].rule.kind: a sequential test counts failures, so it needs one of errorRate, shownRate, receivedRate, not latencyP99",
    ]);
    expect(
      issues("steps: [1, 100]\nbakeMinutes: 30\nmetrics:\n  - metric: errorRate\n    rule: { kind: t-test }\n"),
    ).toEqual(["metrics[0].rule.kind: expected one of: threshold, mann-whitney, sprt"]);
    const wrongMetric = issues(
      "steps: [1, 100]\nbakeMinutes: 30\nmetrics:\n  - metric: errors\n    rule: { kind: threshold, mode: relative, max: 0.5 }\n",
    );
    expect(wrongMetric).toHaveLength(1);
    expect(wrongMetric[0]).toMatch(/^metrics\[0\]\.metric: .*errorRate/);
  });

  it("reports unreadable text and an empty policy", () => {
    expect(issues("steps: [1, 100\n")[0]).toMatch(/^\(root\): not valid YAML/);
    expect(issues('{ "steps": ', "json")[0]).toMatch(/^\(root\): not valid JSON/);
    expect(issues("")).toEqual(["(root): the policy is empty"]);
  });

  it("grades an invalid policy as feedback, not an attempt, with the paths in the error", () => {
    const result = gradePolicyText("steps: [1, 50]\nbakeMinutes: 30\nmetrics: []\n", "yaml");
    expect(result.status).toBe("compile_error");
    expect(result.score).toBe(0);
    expect(result.maxScore).toBe(15);
    expect(result.error).toContain("steps[1]: the last step must be 100");
  });
});

describe("the grading data", () => {
  it("links every rule to a real heading of the lecture", async () => {
    const modules = await readModuleAnchors("content");
    for (const rule of DEFAULT_ROLLOUT_GRADING.rules) {
      const [, id, anchor] = /^\/modules\/([a-z0-9-]+)#([a-z0-9-]+)$/.exec(rule.link) ?? [];
      expect(modules.get(id ?? "")?.anchors.has(anchor ?? ""), rule.link).toBe(true);
    }
  });

  it("refuses grading data that misses or repeats a rule", () => {
    const rules = DEFAULT_ROLLOUT_GRADING.rules;
    const missing = rolloutGradingSchema.safeParse({ ...DEFAULT_ROLLOUT_GRADING, rules: rules.slice(1) });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.message)).toContain('rule "catches-error-regression" is missing');
    const twice = rolloutGradingSchema.safeParse({ ...DEFAULT_ROLLOUT_GRADING, rules: [...rules, rules[0]] });
    expect(twice.error?.issues.map((i) => i.message)).toContain('"catches-error-regression" appears twice');
  });
});
