/**
 * Every /api path answers 401 JSON to a client without a session, whatever it sends as Accept: an
 * API client that gets a 302 to an HTML login page follows it and reports a confusing 200.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { makeTestApp, type TestApp } from "../helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const accepts = [
  undefined,
  "*/*",
  "text/html",
  "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "application/json",
];
const calls: Array<["get" | "post", string]> = [
  ["get", "/api/session"],
  ["get", "/api/submissions/1"],
  ["post", "/api/exercises/purchase-dependencies/submissions"],
  ["get", "/api/no-such-route"],
  ["get", "/api"],
];

describe("the API without a session", () => {
  for (const [method, path] of calls) {
    it(`answers ${method.toUpperCase()} ${path} with 401 JSON for every Accept header`, async () => {
      for (const accept of accepts) {
        let req = method === "get" ? request(t.app).get(path) : request(t.app).post(path).send({ answer: {} });
        if (accept) req = req.set("Accept", accept);
        const res = await req;
        expect(res.status, `Accept: ${accept ?? "(none)"}`).toBe(401);
        expect(res.headers["content-type"]).toMatch(/^application\/json/);
        expect(res.body.error.code).toBe("unauthenticated");
      }
    });
  }
});
