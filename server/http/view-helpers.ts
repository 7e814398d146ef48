/** Functions the ejs views call; set once on app.locals so every template has them. */
import { fieldId, fieldLabel, formFieldName, formatPath } from "../../grader/exercises";
import { readResultDetails } from "../../grader/result-details";
import { renderMarkdown, type MarkdownPolicy } from "../content/markdown";
import { formatUtc } from "../deadlines/window";

export const viewHelpers = (markdown: MarkdownPolicy) => ({
  formFieldName,
  formatPath,
  /** A result's details, typed by the schemas each kind writes them with (views/exercises/result.ejs). */
  resultDetails: readResultDetails,
  fieldId,
  fieldLabel,
  /** Markdown from exercise files (field help), sanitized like everything else. */
  md: (text: string): string => renderMarkdown(text, markdown).html,
  /** A stored UTC time as "2026-12-01 23:59 UTC", the way every page shows times; blank for none. */
  utc: (iso: string | null | undefined): string => (iso ? formatUtc(iso) : ""),
  /** Rubric points with their sign: "+2", "-1", "0". */
  signedPoints: (points: number): string => (points > 0 ? `+${points}` : String(points)),
  /** "1 student", "2 students": a count with its noun (plural by adding s unless given). */
  count: (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`,
});
