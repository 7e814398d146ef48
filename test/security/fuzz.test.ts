/**
 * Fuzzed requests on every route the app serves, as anonymous, a student, a TA and an instructor:
 * odd path parameters, query strings and bodies (forms, JSON, broken JSON, other types), with a valid
 * CSRF token most of the time so the fuzz reaches the handlers. Nothing may answer 5xx or hang: every
 * bad input is the client's error and is answered as one. Deterministic (a seeded generator); set
 * FUZZ_SEED to try other inputs, and the failure list names each request so it can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { isCodeExercise } from "../../server/course";
import { csrfFrom, makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../helpers/app";
import { appRoutes } from "../helpers/routes";
import { exerciseId, referenceAnswer, submit } from "../server/review/review-helpers";

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const REQUESTS = 800;

/** mulberry32: small, seeded, good enough to pick inputs. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick, chance: (p: number) => next() < p };
}

const junk = [
  "",
  "0",
  "-1",
  "1.5",
  "1e309",
  "NaN",
  "Infinity",
  "9".repeat(40),
  "１２",
  "0x10",
  " 3 ",
  "true",
  "null",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "toString",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "\uD800",
  "é",
  "😀".repeat(50),
  "<script>alert(1)</script>",
  "'; DROP TABLE users; --",
  "=1+2",
  "a".repeat(5000),
  "x@y",
  "a@b.edu",
  "student",
  "instructor",
  "2026-13-45T25:61",
  "2026-12-01T10:00",
  "immediate",
  "accept",
  "penalty",
  "on",
];
const fields = [
  "email",
  "password",
  "name",
  "role",
  "reason",
  "score",
  "itemId",
  "comment",
  "markId",
  "action",
  "requestId",
  "decision",
  "response",
  "answer",
  "answerText",
  "code",
  "opensAt",
  "dueAt",
  "lateUntil",
  "latePolicy",
  "penaltyPercent",
  "userId",
  "csv",
  "file",
  "next",
  "q",
  "page",
  "status",
  "student",
  "minScore",
  "maxScore",
  "active",
  "confirm",
];

function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: send the bytes a broken client would.
    return "%ED%A0%80";
  }
}

type Rng = ReturnType<typeof generator>;

function jsonValue(rng: Rng, depth = 0): unknown {
  const roll = rng.next();
  if (depth > 4 || roll < 0.35) return rng.pick(junk);
  if (roll < 0.45) return rng.pick([0, -1, 1.5, 1e308, true, false, null]);
  if (roll < 0.7) return Array.from({ length: Math.floor(rng.next() * 4) }, () => jsonValue(rng, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(rng.next() * 5) }, () => [rng.pick(fields), jsonValue(rng, depth + 1)]),
  );
}

function formBody(rng: Rng): string {
  const parts: string[] = [];
  for (let i = Math.floor(rng.next() * 6); i >= 0; i--) {
    let key = rng.pick(fields);
    if (rng.chance(0.3))
      key += rng.pick(["[]", "[0]", "[a][b]", "[__proto__]", "[0][name]", "[" + "[x]".repeat(40) + "]"]);
    parts.push(`${encode(key)}=${encode(rng.pick(junk))}`);
  }
  return parts.join("&");
}

let t: TestApp;
const agents: Record<string, ReturnType<typeof request.agent>> = {};
const tokens: Record<string, string> = {};
const ids = { submission: [] as string[], user: [] as string[], exercise: [] as string[] };

beforeAll(async () => {
  t = await makeTestApp();
  agents.anonymous = request.agent(t.app);
  tokens.anonymous = csrfFrom((await agents.anonymous.get("/login")).text);
  for (const role of ["student", "ta", "instructor"] as const) {
    const { user, password } = await makeUser(t.db, role);
    agents[role] = await signIn(t.app, user.email, password);
    tokens[role] = await tokenFor(agents[role]);
    ids.user.push(String(user.id));
  }
  ids.submission.push(String(await submit(agents.student!, await referenceAnswer())));
  // Code exercises would start sandboxes in "check" and "try"; the fuzz is about the HTTP layer.
  ids.exercise = t.course.exercises.filter((e) => !isCodeExercise(e)).map((e) => e.exercise.id);
  expect(ids.exercise).toContain(exerciseId);
});
afterAll(() => t.close());

describe("fuzzed requests", () => {
  it(`answer no request with 5xx and leave none hanging (seed ${SEED}, ${REQUESTS} requests)`, async () => {
    const rng = generator(SEED);
    // Signing out would end the fuzzing agents' sessions; it is covered by the matrix.
    const routes = appRoutes(t.app).filter((r) => r !== "post /logout");
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const route = rng.pick(routes);
      const [method, pattern] = route.split(" ") as ["get" | "post", string];
      const role = rng.pick(["anonymous", "student", "ta", "instructor"]);
      const param = (kind: keyof typeof ids) => encode(rng.chance(0.6) ? rng.pick(ids[kind]) : rng.pick(junk));
      const path = pattern
        .replace(/\/submissions\/:id/, () => `/submissions/${param("submission")}`)
        .replace(/\/users\/:id/, () => `/users/${param("user")}`)
        .replace(/:userId/, () => param("user"))
        .replace(/:id/, () => param("exercise"));
      const query = rng.chance(0.3) ? `?${formBody(rng)}` : "";
      const agent = agents[role]!;
      let req = method === "get" ? agent.get(path + query) : agent.post(path + query);
      req = req.set("Accept", rng.pick(["text/html", "application/json", "*/*", "image/png", ""])).timeout(15_000);
      let described = `${role} ${method.toUpperCase()} ${path}${query}`;
      if (method === "post") {
        const token = rng.chance(0.9) ? tokens[role]! : rng.pick(["", "forged", tokens.student!]);
        const kind = rng.pick(["form", "json", "broken-json", "text", "multipart"]);
        if (kind === "form") {
          const body = `_csrf=${encode(token)}&${formBody(rng)}`;
          req = req.type("form").send(body);
          described += ` form ${body.slice(0, 200)}`;
        } else if (kind === "json") {
          const value = jsonValue(rng);
          const body =
            value !== null && typeof value === "object" && !Array.isArray(value) ? { _csrf: token, ...value } : value;
          req = req.set("X-CSRF-Token", token).set("Content-Type", "application/json").send(JSON.stringify(body));
          described += ` json ${JSON.stringify(body).slice(0, 200)}`;
        } else if (kind === "broken-json") {
          req = req.set("X-CSRF-Token", token).set("Content-Type", "application/json").send('{"answer": [1, 2');
          described += " broken json";
        } else if (kind === "text") {
          req = req.set("X-CSRF-Token", token).set("Content-Type", "text/plain").send(rng.pick(junk));
          described += " text";
        } else {
          req = req
            .set("X-CSRF-Token", token)
            .set("Content-Type", "multipart/form-data; boundary=zz")
            .send(
              `--zz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--zz\r\nContent-Disposition: form-data; name="${rng.pick(fields)}"\r\n\r\n${rng.pick(junk)}\r\n--zz--`,
            );
          described += " multipart";
        }
      }
      try {
        const res = await req;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${res.status} ← ${described}`);
      } catch (err) {
        failures.push(`${err instanceof Error ? err.message : String(err)} ← ${described}`);
      }
    }
    expect(failures, `seed ${SEED}:\n${failures.join("\n")}`).toEqual([]);
    // The fuzz reached the handlers: pages were served and inputs refused as bad requests.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
    expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(20);
  }, 240_000);
});
