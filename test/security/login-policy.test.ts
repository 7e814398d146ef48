/**
 * The sign-in policy (server/auth/login-throttle.ts): guessing is stopped, a burst cannot slip past
 * the limit, and an attacker cannot lock the owner out. HTTP tests tell addresses apart with
 * X-Forwarded-For behind TRUST_PROXY=1; the growing delays are checked on the throttle itself with
 * an explicit clock, so no test waits or measures time.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { csrfFrom, makeTestApp, makeUser, tokenFor, type TestApp } from "../helpers/app";
import { LoginThrottle, type ThrottleLimits } from "../../server/auth/login-throttle";
import { KNOWN_DEVICE_COOKIE } from "../../server/auth/known-device";

/** A visitor at one address: its own cookies (CSRF, known browser) and its own X-Forwarded-For. */
function visitor(t: TestApp, address: string) {
  const agent = request.agent(t.app);
  let token = "";
  return {
    agent,
    async login(email: string, password: string) {
      if (!token) token = csrfFrom((await agent.get("/login").set("X-Forwarded-For", address)).text);
      return agent.post("/login").set("X-Forwarded-For", address).type("form").send({ email, password, _csrf: token });
    },
  };
}

describe("a burst of simultaneous attempts", () => {
  let t: TestApp;
  let server: Server;
  beforeAll(async () => {
    t = await makeTestApp();
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it("has at most the limit evaluated, the right password included", async () => {
    const { user, password } = await makeUser(t.db);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = await request(url).get("/login");
    const cookie = (page.headers["set-cookie"] as unknown as string[]).map((c) => c.split(";")[0]).join("; ");
    const token = csrfFrom(page.text);
    const attempt = (pw: string) =>
      request(url)
        .post("/login")
        .set("Cookie", cookie)
        .type("form")
        .send({ email: user.email, password: pw, _csrf: token });
    const burst = await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => attempt(`wrong-${i}`)),
      attempt(password),
    ]);
    const statuses = burst.map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 401 || s === 302).length;
    expect(
      statuses.every((s) => [401, 302, 429].includes(s)),
      statuses.join(","),
    ).toBe(true);
    expect(evaluated).toBeLessThanOrEqual(t.config.LOGIN_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(61 - t.config.LOGIN_MAX_FAILURES);
  });
});

describe("over HTTP", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({
      TRUST_PROXY: "1",
      LOGIN_MAX_FAILURES: "3",
      LOGIN_ADDRESS_MAX_FAILURES: "8",
      LOGIN_ACCOUNT_FREE_FAILURES: "6",
      // Longer than any stretch a busy machine can put between two requests of one test, so a
      // growing delay never runs out mid-test (the delays themselves are checked with a clock below).
      LOGIN_ACCOUNT_FIRST_DELAY_SECONDS: "600",
      LOGIN_ACCOUNT_MAX_DELAY_MINUTES: "15",
    });
  });
  afterAll(() => t.close());

  it("stops one address guessing one account, and lets a classmate behind the same address in", async () => {
    const owner = await makeUser(t.db);
    const classmate = await makeUser(t.db);
    const attacker = visitor(t, "203.0.113.7");
    for (let i = 0; i < 3; i++) expect((await attacker.login(owner.user.email, `guess${i}`)).status).toBe(401);
    const blocked = await attacker.login(owner.user.email, owner.password);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toMatch(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./);
    const sameNat = visitor(t, "203.0.113.7");
    expect((await sameNat.login(classmate.user.email, classmate.password)).status).toBe(302);
    // The owner, elsewhere, is not locked out by that address's guesses.
    expect((await visitor(t, "198.51.100.1").login(owner.user.email, owner.password)).status).toBe(302);
  });

  it("stops one address spraying many accounts, at a limit a lab's mistypes do not reach", async () => {
    const spray = visitor(t, "203.0.113.50");
    // Two tries each: under the per-account limit every time, so only the address limit can stop it.
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 2; j++) expect((await spray.login(`nobody${i}@example.edu`, "x")).status).toBe(401);
    }
    const someone = await makeUser(t.db);
    expect((await visitor(t, "203.0.113.50").login(someone.user.email, someone.password)).status).toBe(429);
  });

  it("lets the owner's known browser in while many addresses guess the account", async () => {
    const owner = await makeUser(t.db);
    const laptop = visitor(t, "198.51.100.20");
    expect((await laptop.login(owner.user.email, owner.password)).status).toBe(302);
    const known = String(
      laptop.agent.jar.getCookie(KNOWN_DEVICE_COOKIE, {
        domain: "127.0.0.1",
        path: "/login",
        secure: false,
        script: false,
      })?.value ?? "",
    );
    expect(known).not.toBe("");
    await laptop.agent
      .post("/logout")
      .type("form")
      .send({ _csrf: await tokenFor(laptop.agent) });

    // Twenty addresses, two guesses each: no address or pair limit is reached, the account's is.
    for (let i = 0; i < 20; i++) {
      const bot = visitor(t, `192.0.2.${i + 1}`);
      for (let j = 0; j < 2; j++) await bot.login(owner.user.email, `guess-${i}-${j}`);
    }
    const newPhone = await visitor(t, "198.51.100.99").login(owner.user.email, owner.password);
    expect(newPhone.status).toBe(429);
    // Growing delays are capped, so even a browser the account never used waits at most that long.
    expect(Number(newPhone.headers["retry-after"])).toBeLessThanOrEqual(15 * 60);
    expect((await laptop.login(owner.user.email, owner.password)).status).toBe(302);
  });

  it("does not let one account's known-browser cookie help another account, or a forged one help anybody", async () => {
    const mine = await makeUser(t.db);
    const target = await makeUser(t.db);
    const browser = visitor(t, "198.51.100.30");
    expect((await browser.login(mine.user.email, mine.password)).status).toBe(302);
    await browser.agent
      .post("/logout")
      .type("form")
      .send({ _csrf: await tokenFor(browser.agent) });
    for (let i = 0; i < 20; i++) await visitor(t, `192.0.2.${100 + i}`).login(target.user.email, `g${i}`);
    expect((await browser.login(target.user.email, target.password)).status).toBe(429);

    const forged = visitor(t, "198.51.100.31");
    const account = Buffer.from(target.user.email).toString("base64url");
    forged.agent.jar.setCookie(
      `${KNOWN_DEVICE_COOKIE}=${account}.dev.${Date.now() + 86_400_000}.bm9wZQ; Path=/login`,
      "127.0.0.1",
      "/login",
    );
    expect((await forged.login(target.user.email, target.password)).status).toBe(429);
  });
});

describe("the account's growing delays", () => {
  let t: TestApp;
  const limits: ThrottleLimits = {
    maxFailures: 3,
    windowMs: 15 * 60_000,
    addressMaxFailures: 100,
    accountFreeFailures: 4,
    accountFirstDelayMs: 1000,
    accountMaxDelayMs: 60_000,
  };
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(() => t.close());

  it("double after the free failures, up to the cap, and never touch a known browser", () => {
    const throttle = new LoginThrottle(t.db, limits);
    const email = "owner@example.edu";
    const from = (i: number) => ({ email, address: `192.0.2.${i}` });
    let now = 1_000_000;
    for (let i = 0; i < 4; i++) expect(throttle.reserve(from(i), now).ok).toBe(true);
    const waits: number[] = [];
    for (let i = 4; i < 14; i++) {
      const refused = throttle.reserve(from(i), now);
      expect(refused.ok).toBe(false);
      const wait = refused.ok ? 0 : refused.retryAfterMs;
      waits.push(wait);
      now += wait;
      expect(throttle.reserve(from(i), now).ok).toBe(true);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
    expect(throttle.reserve({ email, address: "192.0.2.200", knownDevice: "laptop" }, now).ok).toBe(true);
  });

  it("take back a reservation whose password was right", () => {
    const throttle = new LoginThrottle(t.db, limits);
    const attempt = { email: "back@example.edu", address: "192.0.2.1" };
    for (let i = 0; i < 2; i++) expect(throttle.reserve(attempt, 5_000_000).ok).toBe(true);
    const right = throttle.reserve(attempt, 5_000_000);
    expect(right.ok).toBe(true);
    if (right.ok) throttle.succeeded(right.id, attempt);
    expect(
      t.db
        .prepare("SELECT count(*) FROM login_failures WHERE key LIKE '%back@example.edu%' AND key LIKE 'pair:%'")
        .pluck()
        .get(),
    ).toBe(0);
    expect(throttle.reserve(attempt, 5_000_000).ok).toBe(true);
  });
});
