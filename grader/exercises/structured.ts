/**
 * The `structured` kind: the student fills a form declared by an answer shape, and a rubric of
 * declarative rules grades it. Everything specific to one exercise is data in its folder.
 */
import { z } from "zod";
import { errorResult } from "../result";
import type { GradingResult } from "../result";
import { checkRubric } from "../rubric/check";
import { gradeRubric } from "../rubric/grade";
import { rubricSchema } from "../rubric/rules";
import type { Rule } from "../rubric/rules";
import { validate } from "../validation";
import { answerSchemaFor } from "./answer-schema";
import { exerciseHeaderFields } from "./header";
import { answerShapeSchema } from "./shape";
import type { AnswerShape } from "./shape";
import type { Exercise, ExerciseKind, LoadIssue } from "./types";

export const structuredManifestSchema = z.strictObject({
  ...exerciseHeaderFields,
  kind: z.literal("structured"),
  /** The fields of the answer form. */
  answer: answerShapeSchema,
  rubric: rubricSchema,
  /** File in the exercise folder holding an answer that earns full marks. */
  reference: z.string().regex(/^[\w./-]+\.(ya?ml|json)$/, "expected a YAML or JSON file name such as reference.yaml"),
});
export type StructuredManifest = z.infer<typeof structuredManifestSchema>;

export interface StructuredBody {
  answer: AnswerShape;
  rubric: Rule[];
  reference: unknown;
}

async function prepare(manifest: StructuredManifest, ctx: Parameters<ExerciseKind["prepare"]>[1]) {
  const issues: LoadIssue[] = [];
  const inManifest = (path: string, message: string) => issues.push({ file: ctx.manifestPath, path, message });

  for (const issue of checkRubric(manifest.rubric, manifest.answer.fields)) inManifest(issue.path, issue.message);
  const total = manifest.rubric.reduce((sum, rule) => sum + rule.points, 0);
  if (Math.abs(total - manifest.points) > 1e-9)
    inManifest("points", `is ${manifest.points} but the rubric's rules add up to ${total}`);

  const reference = await ctx.readDataFile(manifest.reference);
  if (!reference.ok) issues.push(reference.issue);
  else {
    const checked = validate(answerSchemaFor(manifest.answer), reference.data);
    if (!checked.ok) {
      for (const i of checked.issues)
        issues.push({
          file: `${ctx.dir}/${manifest.reference}`,
          path: i.path,
          message: `${i.message} (the reference answer must fit the answer shape)`,
        });
    }
  }
  const body: StructuredBody = {
    answer: manifest.answer,
    rubric: manifest.rubric,
    reference: reference.ok ? reference.data : undefined,
  };
  return { body, answerShape: manifest.answer, issues };
}

async function grade(exercise: Exercise<StructuredBody>, answer: unknown): Promise<GradingResult> {
  const { answer: shape, rubric } = exercise.body;
  const checked = validate(answerSchemaFor(shape), answer);
  if (!checked.ok) {
    const listed = checked.issues
      .slice(0, 20)
      .map((i) => `${i.path}: ${i.message}`)
      .join("; ");
    return errorResult(exercise.points, `The answer does not fit the form of this exercise: ${listed}`);
  }
  return gradeRubric(rubric, checked.data, shape.fields);
}

export const structuredKind: ExerciseKind<StructuredManifest, StructuredBody> = {
  kind: "structured",
  description: "A form declared by an answer shape, graded by declarative rubric rules.",
  manifestSchema: structuredManifestSchema,
  prepare,
  grade,
  referenceAnswer: (exercise) => exercise.body.reference,
};
