/**
 * The JSON body parser's `verify` hook: refuses a body nested deeper than answers ever are before
 * JSON.parse sees it, so a deep body never reaches validation, storage or rendering, each of which
 * walks it recursively.
 */
import type { IncomingMessage } from "node:http";
import { DATA_TEXT_LIMITS, jsonTooDeepAt } from "../../grader/exercises";
import { HttpError } from "./errors";

export function refuseDeepJson(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  // latin1 keeps every byte as one character; brackets and quotes are ASCII, never inside a UTF-8 sequence.
  const line = jsonTooDeepAt(body.toString("latin1"), DATA_TEXT_LIMITS.maxDepth);
  if (line !== undefined) {
    throw new HttpError(
      400,
      "too_deep",
      `The request body is nested more than ${DATA_TEXT_LIMITS.maxDepth} levels deep (at line ${line}); no answer needs that many.`,
    );
  }
}
