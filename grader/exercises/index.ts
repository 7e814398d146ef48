/**
 * What the rest of the product uses of exercises: load them, render their forms, validate and grade
 * answers. The server, the CLI and the benchmarks import from here only.
 */
export { loadExercises, loadExerciseFolder, readDataFile, parseDataText, MANIFEST_FILE, PROMPT_FILE } from "./loader";
export type { LoadResult } from "./loader";
export type { Exercise, ExerciseKind, LoadIssue, PrepareContext, Prepared } from "./types";
export type { ExerciseHeader, ManualRubricItem } from "./header";
export { exerciseHeaderFields, manualRubricItemSchema } from "./header";
export { gradeAnswer } from "./grade";
export { answerSchemaFor } from "./answer-schema";
export type { AnswerObject, AnswerValue } from "./answer-schema";
export { coerceFormAnswer, emptyAnswer, emptyListItem, formFieldName, FORM_ROOT } from "./form";
export type { EmptyAnswer, EmptyValue } from "./form";
export { isRequired, DEFAULT_TEXT_MAX, DEFAULT_LONGTEXT_MAX } from "./shape";
export { fieldId, fieldLabel } from "./field-label";
export type {
  AnswerShape,
  AnswerField,
  AnswerFieldType,
  FieldBase,
  TextField,
  LongTextField,
  NumberField,
  ChoiceField,
  ChoiceOption,
  MultiChoiceField,
  GroupField,
  ListField,
} from "./shape";
export { findKind, allKinds } from "./kinds";
export { MODULE_IDS, readModuleAnchors, headingSlugs } from "./modules";
export type { ModuleId } from "./modules";
export { checkExerciseSamples, updateGoldens, loadSamples } from "./samples";
export { checkLinks } from "./links";
export { exerciseJsonSchemaText, JSON_SCHEMA_FILE } from "./json-schema";
export { formatIssues, formatPath, validate, issuesToText } from "../validation";
export type { FieldIssue } from "../validation";
export type { StructuredBody } from "./structured";
export { dataTextProblem, jsonTooDeepAt, DATA_TEXT_LIMITS } from "./data-limits";
export type { DataTextLimits } from "./data-limits";
