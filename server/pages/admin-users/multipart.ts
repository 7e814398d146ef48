/**
 * Reads a multipart/form-data body (a form with a file input) into req.body as text fields, so the
 * roster upload works without JavaScript and the CSRF check still finds `_csrf` in the body. busboy
 * splits the parts; each field and the file are decoded as UTF-8 on their own. The whole body is
 * bounded by `limit` like every other body, and over it gets the same 413 and message.
 */
import busboy from "busboy";
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { HttpError } from "../../http/errors";

/** The roster form posts three parts (`_csrf`, `csv`, `file`); a few more are tolerated, not hundreds. */
const MAX_PARTS = 20;

/** The error body-parser gives for a body over its limit, so the error middleware answers it alike. */
function tooLarge(limit: number): Error {
  return Object.assign(new Error("request entity too large"), { type: "entity.too.large", status: 413, limit });
}

function unreadable(why: string): HttpError {
  return new HttpError(
    400,
    "bad_multipart",
    `The upload could not be read: ${why}. Go back and choose the file again.`,
  );
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The text fields of a multipart body by name (a repeated name keeps its last value). */
export function readMultipart(req: IncomingMessage, limit: number): Promise<Record<string, string>> {
  if (Number(req.headers["content-length"]) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        limits: { parts: MAX_PARTS, fieldSize: limit, fileSize: limit },
      });
    } catch (err) {
      // No boundary, or a content type busboy does not read.
      reject(unreadable(reason(err)));
      return;
    }
    const fields: Record<string, string> = {};
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // Read and drop the rest, so the refusal reaches a client still sending.
      req.resume();
      reject(err);
    };
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(tooLarge(limit));
      else fields[name] = value;
    });
    parser.on("file", (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => fail(tooLarge(limit)));
      stream.on("end", () => {
        if (!settled) fields[name] = Buffer.concat(chunks).toString("utf8");
      });
    });
    parser.on("partsLimit", () => fail(unreadable(`it has more than ${MAX_PARTS} parts`)));
    parser.on("error", (err) => fail(unreadable(reason(err))));
    parser.on("close", () => {
      if (settled) return;
      settled = true;
      resolve(fields);
    });
    req.pipe(parser);
    // Counted as it arrives: a body sent without a length (chunked) is held to the same limit.
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) fail(tooLarge(limit));
    });
  });
}

export function multipartFields(limit: number): RequestHandler {
  return (req, _res, next) => {
    if (!req.is("multipart/form-data")) return next();
    readMultipart(req, limit).then((fields) => {
      req.body = fields;
      next();
    }, next);
  };
}
