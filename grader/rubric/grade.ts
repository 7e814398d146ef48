/** Grades an answer against a rubric: one test per rule, all-or-nothing per rule, partial credit overall. */
import type { AnswerField } from "../exercises/shape";
import { finishResult } from "../result";
import type { GradingResult, TestResult } from "../result";
import { evaluateRule } from "./evaluate";
import type { Rule } from "./rules";

/** `fields` (the answer shape) lets feedback name the student's choices and the steps by their labels. */
export function gradeRubric(rules: readonly Rule[], answer: unknown, fields?: readonly AnswerField[]): GradingResult {
  const tests: TestResult[] = rules.map((rule) => {
    const { passed, detail } = evaluateRule(rule, answer, fields);
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
    if (!passed && rule.reveal) test.reveal = rule.reveal;
    return test;
  });
  return finishResult(tests);
}
