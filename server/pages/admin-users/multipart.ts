/**
 * Reads a multipart/form-data body (a form with a file input) into req.body as text fields, so the
 * roster upload works without JavaScript and the CSRF check still finds `_csrf` in the body. Only
 * for small text uploads: each part is decoded as UTF-8 and the whole body is bounded by `limit`.
 */
import express, { type RequestHandler } from "express";

export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return {};
  const fields: Record<string, string> = {};
  const text = body.toString("utf8");
  for (const part of text.split(`--${marker}`)) {
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (!name) continue;
    // Each part ends with the CRLF that precedes the next boundary.
    fields[name] = part.slice(headerEnd + 4).replace(/\r\n$/, "");
  }
  return fields;
}

export function multipartFields(limit: number): RequestHandler[] {
  return [
    express.raw({ type: "multipart/form-data", limit }),
    (req, _res, next) => {
      const type = req.headers["content-type"] ?? "";
      if (Buffer.isBuffer(req.body) && type.startsWith("multipart/form-data")) req.body = parseMultipart(req.body, type);
      next();
    },
  ];
}
