/**
 * Typed HTTP errors: handlers throw these, and the one error middleware turns them into an HTML
 * page or a JSON body. `code` is stable for API clients; `message` is for people.
 */
import type { FieldIssue } from "../../grader/exercises";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = "That page") => new HttpError(404, "not_found", `${what} does not exist.`);
export const forbidden = () => new HttpError(403, "forbidden", "You do not have permission to see this page.");
export const badRequest = (message: string, issues: FieldIssue[] = []) =>
  new HttpError(400, "bad_request", message, issues);
