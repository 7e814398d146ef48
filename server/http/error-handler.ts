/**
 * The one error middleware: typed HttpErrors and library errors become an HTML page for browsers or
 * a JSON body for API clients. 5xx are logged as errors; their stacks are shown only in development.
 * A 4xx is an answer about the request (bad input, no access), never a failure worth a stack.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import { wantsHtml } from "../auth/guards";
import type { Logger } from "../logger";
import { HttpError, notFound } from "./errors";
import { renderPage } from "./render";

function asHttpError(err: unknown, bodyLimitBytes: number): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { type?: string; code?: string; status?: number; message?: string };
  if (e.type === "entity.too.large") {
    return new HttpError(
      413,
      "payload_too_large",
      `The request is larger than ${Math.round(bodyLimitBytes / 1024)} KB, so nothing was saved. Go back: your browser still has what you wrote.`,
    );
  }
  if (e.type === "entity.parse.failed")
    return new HttpError(400, "invalid_json", "The request body is not valid JSON.");
  if (e.code === "EBADCSRFTOKEN" || e.message === "invalid csrf token") {
    return new HttpError(
      403,
      "csrf_invalid",
      "This form expired or did not come from this site. Go back, reload the page and try again.",
    );
  }
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, "bad_request", e.message ?? "Bad request.");
  }
  return new HttpError(500, "internal", "Something went wrong on our side. Try again in a moment.");
}

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(notFound());
}

export function errorHandler(options: {
  logger: Logger;
  development: boolean;
  bodyLimitBytes: number;
}): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const httpError = asHttpError(err, options.bodyLimitBytes);
    if (httpError.status >= 500) options.logger.error({ err, reqId: req.id }, "request failed");
    const stack = options.development && httpError.status >= 500 && err instanceof Error ? err.stack : undefined;
    res.status(httpError.status);
    for (const [name, value] of Object.entries(httpError.headers)) res.setHeader(name, value);
    if (wantsHtml(req)) {
      // takeFlash (in renderPage) copes with a request that failed before its session was loaded.
      renderPage(req, res, "error", {
        title: httpError.status === 404 ? "Not found" : "Error",
        status: httpError.status,
        message: httpError.message,
        issues: httpError.issues,
        stack,
      });
      return;
    }
    res.json({
      error: {
        code: httpError.code,
        message: httpError.message,
        issues: httpError.issues,
        ...(stack ? { stack } : {}),
      },
    });
  };
}
