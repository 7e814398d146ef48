/**
 * Rows typed at the boundary: every read parses what SQLite returned with a zod schema, so a column
 * that is missing, renamed or of another type fails loudly, naming the column and the query, instead
 * of flowing on as a wrong value under a type the compiler was told to trust.
 */
import { z } from "zod";
import type Database from "better-sqlite3";
import type { Db } from "./database";

/** Positional (`?`) or named (`@name`) parameters, as better-sqlite3 takes them. */
export type Params = readonly unknown[] | Record<string, unknown>;

/** A row (or value) from the database that does not have the shape its query promised. */
export class RowShapeError extends Error {}

function bind(params: Params): unknown[] {
  return Array.isArray(params) ? [...(params as readonly unknown[])] : [params];
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown, sql: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const column = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(the row itself)";
  const query = sql.replace(/\s+/g, " ").trim().slice(0, 160);
  throw new RowShapeError(
    `The database returned an unexpected row: column ${column}: ${issue?.message ?? "invalid"} (query: ${query})`,
  );
}

type Statement = Database.Statement<unknown[], unknown>;

/**
 * Each database's prepared statements, by text (and whether they return bare values): preparing
 * parses the SQL, which cost a module page more than running its queries did. A statement lives as
 * long as its database; SQLite prepares it again by itself if a migration changes a table under it.
 */
const prepared = new WeakMap<Db, Map<string, Statement>>();

function statement(db: Db, sql: string, values: "rows" | "values"): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map<string, Statement>()));
  const key = `${values}:${sql}`;
  let found = cache.get(key);
  if (!found) {
    found = db.prepare<unknown[], unknown>(sql);
    if (values === "values") found.pluck();
    cache.set(key, found);
  }
  return found;
}

/** Runs a statement that returns no rows (INSERT, UPDATE, DELETE), prepared once per database. */
export function execute(db: Db, sql: string, params: Params): Database.RunResult {
  return statement(db, sql, "rows").run(...bind(params));
}

/** The first row the query returns, parsed; undefined when there is none. */
export function queryRow<T>(db: Db, sql: string, params: Params, schema: z.ZodType<T>): T | undefined {
  const row: unknown = statement(db, sql, "rows").get(...bind(params));
  return row === undefined ? undefined : parseRow(schema, row, sql);
}

/** Every row the query returns, each parsed. */
export function queryRows<T>(db: Db, sql: string, params: Params, schema: z.ZodType<T>): T[] {
  const rows: unknown[] = statement(db, sql, "rows").all(...bind(params));
  return rows.map((row) => parseRow(schema, row, sql));
}

/** The first column of the first row (`SELECT count(*) …`), parsed; undefined when there is no row. */
export function queryValue<T>(db: Db, sql: string, params: Params, schema: z.ZodType<T>): T | undefined {
  const value: unknown = statement(db, sql, "values").get(...bind(params));
  return value === undefined ? undefined : parseRow(schema, value, sql);
}

/** The first column of every row, each parsed. */
export function queryValues<T>(db: Db, sql: string, params: Params, schema: z.ZodType<T>): T[] {
  const values: unknown[] = statement(db, sql, "values").all(...bind(params));
  return values.map((value) => parseRow(schema, value, sql));
}

/** A column holding JSON text, parsed; text that is not JSON is a bad row like any other. */
export const jsonColumn = z.string().transform((text, ctx): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "is not valid JSON" });
    return z.NEVER;
  }
});

/** SQLite has no boolean: 0 and 1 in the table, false and true in the program. */
export const sqliteBoolean = z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1);

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type CamelKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * A row schema from its columns as SQLite names them (`submission_id`), giving the object the program
 * uses (`submissionId`): one schema per table instead of a row interface and a hand-copied mapper.
 * Columns not listed are dropped.
 */
export function camelRow<Shape extends z.ZodRawShape>(columns: Shape) {
  return z.object(columns).transform((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) out[camel(key)] = value;
    // The mapped type says what the loop above does, key by key; TypeScript cannot follow the loop.
    return out as CamelKeys<z.output<z.ZodObject<Shape>>>;
  });
}
