/** Types shared by the loader, the kind registry and every kind module. */
import type { z } from "zod";
import type { GradingResult } from "../result";
import type { ExerciseHeader } from "./header";
import type { AnswerShape } from "./shape";

/** The language of an answer written as text rather than through a form. */
export type AnswerLanguage = "typescript" | "yaml";

/** One problem found while loading or checking exercises, located by file and field path. */
export interface LoadIssue {
  /** The file at fault, as reached from the exercises folder given to the loader. */
  file: string;
  /** Field path inside that file, such as "rubric[3].points", or "(file)" for the file as a whole. */
  path: string;
  message: string;
}

interface ExerciseCommon<Body> extends ExerciseHeader {
  /** The exercise folder. */
  dir: string;
  manifestPath: string;
  body: Body;
}

/** Answered through a form: the fields to render. */
export interface FormExercise<Body = unknown> extends ExerciseCommon<Body> {
  answerShape: AnswerShape;
  starterCode?: undefined;
  answerLanguage?: undefined;
}

/** Answered with one file of text in an editor: TypeScript code, or a YAML policy. */
export interface TextExercise<Body = unknown> extends ExerciseCommon<Body> {
  answerShape?: undefined;
  /** The file a student starts from. */
  starterCode?: string;
  /** The file's language (the editor's label and highlighting); TypeScript when absent. */
  answerLanguage?: AnswerLanguage;
}

/**
 * A loaded, checked exercise, ready to render and grade. `Body` is the kind's own data. Whether it has
 * an `answerShape` tells the two ways of answering apart, and narrows the type.
 */
export type Exercise<Body = unknown> = FormExercise<Body> | TextExercise<Body>;

/** What a kind module gets while preparing one exercise. */
export interface PrepareContext {
  dir: string;
  manifestPath: string;
  /** Reads a file of the exercise folder (YAML or JSON by extension) and reports problems against that file. */
  readDataFile(relativePath: string): Promise<{ ok: true; data: unknown } | { ok: false; issue: LoadIssue }>;
}

export interface Prepared<Body> {
  body?: Body;
  answerShape?: AnswerShape;
  /** Code kinds: the starter file's text, shown in the editor of a new attempt. */
  starterCode?: string;
  /** Kinds answered with text that is not TypeScript (a YAML policy). */
  answerLanguage?: AnswerLanguage;
  /** Problems found; any problem means the exercise is skipped. Paths are within the manifest unless `file` says otherwise. */
  issues: LoadIssue[];
}

/**
 * A kind of exercise: its manifest schema (the common header plus its own fields), how to finish
 * loading it, and how to grade an answer. Methods are written as methods on purpose: the registry
 * holds kinds of different bodies side by side, and the loader guarantees each kind only ever
 * receives exercises it prepared itself.
 */
export interface ExerciseKind<Manifest = unknown, Body = unknown> {
  readonly kind: string;
  /** One line for `flagship exercises` listings and the JSON Schema description. */
  readonly description: string;
  /** Strict schema of the whole manifest: `z.strictObject({ ...exerciseHeaderFields, kind: z.literal("..."), ... })`. */
  readonly manifestSchema: z.ZodType<Manifest>;
  prepare(manifest: Manifest, ctx: PrepareContext): Promise<Prepared<Body>>;
  grade(exercise: Exercise<Body>, answer: unknown): Promise<GradingResult>;
  /** An answer that must earn full marks; `flagship exercises check` verifies it does. */
  referenceAnswer(exercise: Exercise<Body>): unknown;
}
