/** Raised by submitAnswer when the submission window is closed; the API answers it as JSON, the page shows it. */
import { HttpError } from "../http/errors";

export class SubmissionWindowClosed extends HttpError {
  constructor(code: "not_open" | "deadline_passed", message: string) {
    // Not open yet: forbidden for now (403). Past the cutoff: conflicts with the deadline (409).
    super(code === "not_open" ? 403 : 409, code, message);
  }
}
