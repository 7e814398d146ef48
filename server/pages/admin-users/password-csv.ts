/**
 * The passwords an import generated, as a CSV file the instructor downloads from the report page. It
 * is built into the page as a data: link, so the passwords never rest on the server and a reload of
 * the report cannot bring them back.
 */
import { csvCell } from "../../export/csv";
import type { ImportRow } from "./roster-import";

export function importedPasswordsCsv(rows: readonly ImportRow[]): string {
  const lines = [["email", "name", "role", "password"].join(",")];
  for (const r of rows) {
    if (r.outcome !== "added" || !r.password) continue;
    // Generated passwords are base64url: no quote, comma or formula can be in them, and the formula
    // guard's leading quote would change a password that starts with "-", so it is written as is.
    lines.push([csvCell(r.email), csvCell(r.name), csvCell(r.role), r.password].join(","));
  }
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

export function csvDataUrl(csv: string): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
}
