/**
 * CSV for spreadsheets and gradebooks: RFC 4180 quoting, CRLF line ends, a UTF-8 BOM so Excel reads
 * accents right, and formula-injection safety: a text cell starting with =, +, -, @, tab or CR gets a
 * leading single quote so a spreadsheet shows it as text instead of running it. Numbers are written
 * as numbers (a negative score stays a number).
 *
 * Identifiers (the SIS login a gradebook import matches students by) are written exactly: a quote in
 * front of `+jo@example.edu` makes the import miss the student. That is safe only because an email
 * cannot be a formula that does anything: without parentheses, `!`, `|`, `=`, quotes or spaces a
 * spreadsheet can at most show an error. So an identifier is written exactly only when it has the
 * shape of an email; anything else is defused like text.
 */
/** A value a program matches on (an email as SIS login): written exactly when that is inert. */
export interface CsvIdentifier {
  identifier: string;
}

export type CsvValue = string | number | null | undefined | CsvIdentifier;

const FORMULA_START = /^[=+\-@\t\r]/;
const INERT_EMAIL = /^[A-Za-z0-9._'+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function identifier(value: string): CsvIdentifier {
  return { identifier: value };
}

function quoted(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "object") {
    if (INERT_EMAIL.test(value.identifier)) return value.identifier;
    return csvCell(value.identifier);
  }
  return quoted(FORMULA_START.test(value) ? `'${value}` : value);
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
