/**
 * Roster import from CSV (header row with email, name, role in any order). Every row gets an outcome:
 * added (with its generated password, shown once) or skipped with the reason. Bad rows are skipped
 * whole; the good ones are inserted together in one transaction, so an import never half-happens.
 * The passwords exist only on the page this import answers with, so an import whose request was
 * cancelled (a closed tab, a proxy timeout) adds nobody.
 */
import type { Db } from "../../db/database";
import {
  emailExists,
  emailSchema,
  insertUser,
  nameSchema,
  newCredentials,
  roleSchema,
  type Role,
} from "../../users/users";
import { parseCsv, rosterTextProblem } from "./csv-parse";

export interface ImportRow {
  line: number;
  email: string;
  name: string;
  role: string;
  outcome: "added" | "skipped";
  reason?: string;
  /** Only for added rows, shown once on the report page. */
  password?: string;
}

export type ImportReport = { ok: true; rows: ImportRow[] } | { ok: false; message: string };

const REQUIRED = ["email", "name", "role"] as const;

export async function importRoster(db: Db, csvText: string, cancelled?: AbortSignal): Promise<ImportReport> {
  const tooLarge = rosterTextProblem(csvText);
  if (tooLarge) return { ok: false, message: tooLarge };
  const records = parseCsv(csvText);
  const tooMany = rosterTextProblem(csvText, records);
  if (tooMany) return { ok: false, message: tooMany };
  const header = records[0];
  if (!header)
    return {
      ok: false,
      message: "The file is empty: expected a header row (email, name, role) and one row per person.",
    };
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    // Spreadsheets in many locales save "CSV" with semicolons; say so rather than only "missing".
    const semicolons =
      header.cells.length === 1 && (header.cells[0] ?? "").includes(";")
        ? " The file seems to use semicolons: save it with commas as the separator."
        : "";
    return {
      ok: false,
      message: `The header row (line ${header.line}) needs the columns email, name and role; missing: ${missing.join(", ")}.${semicolons}`,
    };
  }
  const at = (cells: string[], column: string) => cells[columns.indexOf(column)] ?? "";

  const seen = new Set<string>();
  const rows: ImportRow[] = [];
  const toAdd: Array<{ row: ImportRow; email: string; name: string; role: Role }> = [];
  for (const record of records.slice(1)) {
    const raw = {
      email: at(record.cells, "email").trim(),
      name: at(record.cells, "name").trim(),
      role: at(record.cells, "role").trim(),
    };
    const row: ImportRow = { line: record.line, ...raw, outcome: "skipped" };
    rows.push(row);
    const email = emailSchema.safeParse(raw.email);
    const name = nameSchema.safeParse(raw.name);
    const role = roleSchema.safeParse(raw.role.toLowerCase());
    if (!email.success) row.reason = `bad email: "${raw.email}" ${email.error.issues[0]?.message ?? "is not valid"}`;
    else if (!role.success) row.reason = `unknown role "${raw.role}" (use student, ta or instructor)`;
    else if (!name.success) row.reason = `name ${name.error.issues[0]?.message ?? "is not valid"}`;
    else if (seen.has(email.data)) row.reason = `duplicate in file: ${email.data} appears on an earlier line`;
    else if (emailExists(db, email.data)) row.reason = `already exists: ${email.data} is on the roster`;
    if (email.success) seen.add(email.data);
    if (row.reason || !email.success || !name.success || !role.success) continue;
    toAdd.push({ row, email: email.data, name: name.data, role: role.data });
  }

  // Hash first (slow, async), then write every good row in one synchronous transaction.
  const prepared = await Promise.all(toAdd.map(async (a) => ({ ...a, ...(await newCredentials()) })));
  if (cancelled?.aborted)
    return {
      ok: false,
      message: "The import was cancelled before it finished, so nobody was added. Import the file again.",
    };
  db.transaction(() => {
    for (const p of prepared) {
      // Checked again here: another import or form may have added the address while we hashed.
      if (emailExists(db, p.email)) {
        p.row.reason = `already exists: ${p.email} is on the roster`;
        continue;
      }
      insertUser(db, p);
      Object.assign(p.row, { outcome: "added", email: p.email, name: p.name, role: p.role, password: p.password });
    }
  })();
  return { ok: true, rows };
}
