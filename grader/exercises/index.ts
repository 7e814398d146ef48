/**
 * What the rest of the product uses of exercises: load them, render their forms, validate and grade
 * answers. The server, the CLI and the benchmarks import from here only.
 */
export { loadExercises, loadExerciseFolder, readDataFile, parseDataText } from "./loader";
export type { Exercise, LoadIssue } from "./types";
export type { ManualRubricItem } from "./header";
export { gradeAnswer } from "./grade";
export { answerSchemaFor } from "./answer-schema";
export { coerceFormAnswer, emptyAnswer, formFieldName } from "./form";
export { fieldId, fieldLabel } from "./field-label";
export type { AnswerShape, AnswerField, ListField } from "./shape";
export { findKind } from "./kinds";
export { readModuleAnchors } from "./modules";
export { checkExerciseSamples, loadSamples } from "./samples";
export { checkLinks } from "./links";
export { exerciseJsonSchemaText } from "./json-schema";
export { formatPath, validate, issuesToText } from "../validation";
export type { FieldIssue } from "../validation";
export { dataTextProblem, jsonTooDeepAt, DATA_TEXT_LIMITS } from "./data-limits";
