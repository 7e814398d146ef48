/**
 * CSV for spreadsheets and gradebooks: RFC 4180 quoting, CRLF line ends, a UTF-8 BOM so Excel reads
 * accents right, and formula-injection safety: a text cell starting with =, +, -, @, tab or CR gets a
 * leading single quote so a spreadsheet shows it as text instead of running it. Numbers are written
 * as numbers (a negative score stays a number).
 */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
