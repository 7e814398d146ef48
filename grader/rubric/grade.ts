/** Grades an answer against a rubric: one test per rule, all-or-nothing per rule, partial credit overall. */
import { finishResult } from "../result";
import type { GradingResult, TestResult } from "../result";
import { evaluateRule } from "./evaluate";
import type { Rule } from "./rules";

export function gradeRubric(rules: readonly Rule[], answer: unknown): GradingResult {
  const tests: TestResult[] = rules.map((rule) => {
    const { passed, detail } = evaluateRule(rule, answer);
    const test: TestResult = {
      id: rule.id,
      name: rule.name,
      status: passed ? "pass" : "fail",
      points: passed ? rule.points : 0,
      maxPoints: rule.points,
      message: passed ? rule.pass : detail ? `${rule.fail} ${detail}` : rule.fail,
      link: rule.link,
    };
    if (!passed && rule.hint) test.hint = rule.hint;
    return test;
  });
  return finishResult(tests);
}
