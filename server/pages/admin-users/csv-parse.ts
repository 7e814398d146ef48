/**
 * A small RFC 4180 CSV reader for roster uploads: quoted fields, doubled quotes, commas and line
 * breaks inside quotes, CRLF or LF, and a leading UTF-8 BOM (spreadsheet apps add one).
 */
export interface CsvRecord {
  /** 1-based line where the record starts, for per-row reports. */
  line: number;
  cells: string[];
}

export const ROSTER_LIMITS = { maxBytes: 256 * 1024, maxRows: 2000 };

/**
 * Why a roster text is refused, or undefined. The size is checked before parsing; the row count
 * after, since parsing is one linear pass over text already known to be small. Each added person
 * costs a password hash, so a huge roster would keep the server hashing for minutes.
 */
export function rosterTextProblem(
  text: string,
  records?: readonly CsvRecord[],
  limits = ROSTER_LIMITS,
): string | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > limits.maxBytes) {
    return `The file is ${Math.ceil(bytes / 1024)} KB, more than the limit of ${limits.maxBytes / 1024} KB. Split it and import the parts one after another.`;
  }
  const people = records ? records.length - 1 : 0;
  if (people > limits.maxRows) {
    return `The file has ${people.toLocaleString("en-US")} rows, more than ${limits.maxRows.toLocaleString("en-US")} at a time. Split it and import the parts one after another.`;
  }
  return undefined;
}

export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRecord = () => {
    cells.push(cell);
    // Blank lines carry no row.
    if (!(cells.length === 1 && cells[0]?.trim() === "")) records.push({ line: startLine, cells });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      startLine = line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length > 0) endRecord();
  return records;
}
