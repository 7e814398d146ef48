/**
 * The rubric standard's "one mistake costs one rule", for missing steps: in every orderable list (plan
 * steps), the reference with every step of one kind left out must lose at most one rule. Rules about
 * other subjects that also need that step (an order, a ramp's last percentage) leave the charge to the
 * rule that requires it (`missing: judge-elsewhere`).
 */
import type { GradingResult } from "../result";
import { gradeAnswer } from "./grade";
import type { ChoiceField, ListField } from "./shape";
import type { Exercise, LoadIssue } from "./types";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const failing = (r: GradingResult): string[] => r.tests.filter((t) => t.status === "fail").map((t) => t.id);

export async function checkMissingSteps(exercise: Exercise, referenceAnswer: unknown): Promise<LoadIssue[]> {
  const lists = (exercise.answerShape?.fields ?? []).filter(
    (f): f is ListField => f.type === "list" && f.orderable === true,
  );
  if (!isRecord(referenceAnswer)) return [];
  const issues: LoadIssue[] = [];
  for (const list of lists) {
    // The step's kind is its first choice: "action" in a plan, "component" in a release order.
    const kind = list.fields.find((f): f is ChoiceField => f.type === "choice");
    const items = referenceAnswer[list.key];
    if (!kind || !Array.isArray(items)) continue;
    const values = [
      ...new Set(
        items
          .map((item) => (isRecord(item) ? item[kind.key] : undefined))
          .filter((v): v is string => typeof v === "string"),
      ),
    ];
    for (const value of values) {
      const rest = items.filter((item) => !isRecord(item) || item[kind.key] !== value);
      if (rest.length < (list.minItems ?? 1)) continue;
      const result = await gradeAnswer(exercise, { ...referenceAnswer, [list.key]: rest });
      const lost = failing(result);
      if (result.status === "graded" && lost.length > 1) {
        const label = kind.options.find((o) => o.value === value)?.label ?? value;
        issues.push({
          file: exercise.manifestPath,
          path: "rubric",
          message: `the reference without its "${label}" step(s) fails ${lost.length} rules (${lost.join(", ")}); one missing step costs one rule: let the others judge only the steps present (missing: judge-elsewhere)`,
        });
      }
    }
  }
  return issues;
}
