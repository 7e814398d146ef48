/** LTI 1.3 launches from the fake platform: who is signed in, where they land, and every refused defect. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { launch, authorize, startLtiWorld, type LtiWorld } from "./launch-helpers";
import { formFields, type Defect } from "../../helpers/fake-platform";
import { csrfFrom, makeUser, signIn } from "../../helpers/app";
import { listen } from "../../helpers/browser";
import { makeTestApp } from "../../helpers/app";

let w: LtiWorld;
beforeAll(async () => {
  w = await startLtiWorld();
});
afterAll(() => w.close());

const count = (table: string) => w.t.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const userByEmail = (email: string) =>
  w.t.db.prepare("SELECT id, name, role, email FROM users WHERE email = ?").get(email) as
    { id: number; name: string; role: string } | undefined;

describe("a verified launch", () => {
  it("creates the student, signs them in and lands on the exercise the link names", async () => {
    const agent = request.agent(w.url);
    const { posted, landed } = await launch(w, agent, "stu", "ex");
    expect(posted.status).toBe(303);
    expect(landed?.status).toBe(303);
    expect(landed?.headers.location).toBe("/exercises/purchase-dependencies");
    expect(userByEmail("ada@school.edu")).toMatchObject({ name: "Ada Student", role: "student" });
    const page = await agent.get("/exercises/purchase-dependencies");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Ada Student");
    // The context, membership and resource link are recorded for grades and roster.
    expect(count("lti_contexts")).toBe(1);
    expect(
      w.t.db.prepare("SELECT target FROM lti_resource_links WHERE resource_link_id = 'link-ex'").pluck().get(),
    ).toBe("/exercises/purchase-dependencies");
  });

  it("signs the same LMS person in as the same user next time", async () => {
    const before = count("users");
    const { landed } = await launch(w, request.agent(w.url), "stu", "mod");
    expect(landed?.headers.location).toBe("/modules/dark-launches");
    expect(count("users")).toBe(before);
  });

  it("maps Instructor to instructor and TeachingAssistant to ta", async () => {
    await launch(w, request.agent(w.url), "ins", "ex");
    await launch(w, request.agent(w.url), "ta", "ex");
    expect(userByEmail("grace@school.edu")?.role).toBe("instructor");
    expect(userByEmail("alan@school.edu")?.role).toBe("ta");
  });

  it("accepts login initiation as a POST too", async () => {
    const agent = request.agent(w.url);
    const login = await agent
      .post("/lti/login")
      .type("form")
      .send(Object.fromEntries(new URLSearchParams(w.platform.loginQuery("stu", "ex", w.url))));
    expect(login.status).toBe(302);
    expect(String(login.headers.location)).toContain(`${w.platform.url}/auth?`);
    const auth = new URL(String(login.headers.location));
    for (const p of ["state", "nonce", "login_hint", "lti_message_hint"]) expect(auth.searchParams.get(p)).toBeTruthy();
    expect(auth.searchParams.get("redirect_uri")).toBe(`${w.url}/lti/launch`);
    expect(auth.searchParams.get("response_mode")).toBe("form_post");
  });

  it("leaves password sign-in working beside it", async () => {
    const who = await makeUser(w.t.db, "student");
    const agent = await signIn(w.t.app, who.user.email, who.password);
    expect((await agent.get("/")).status).toBe(200);
  });
});

describe("a defective launch", () => {
  const cases: Array<[Defect, RegExp]> = [
    ["bad-signature", /signature does not verify against the keys/],
    ["wrong-audience", /addressed to someone-else \(aud\), not to Flagship(&#39;|')s client id/],
    ["expired", /id_token has expired/],
    ["unknown-deployment", /deployment deployment-nobody-registered is not registered/],
    ["missing-claims", /lacks required claims.*roles.*required.*resource_link.*required/],
    ["wrong-nonce", /nonce is not the one Flagship sent/],
    ["wrong-version", /Flagship speaks 1\.3\.0/],
  ];
  for (const [defect, message] of cases) {
    it(`is refused for ${defect}, with a page naming it, and writes nothing`, async () => {
      const users = count("users");
      const links = count("lti_user_links");
      const launches = count("lti_launches");
      w.platform.defect = defect;
      const agent = request.agent(w.url);
      try {
        const { posted } = await launch(w, agent, "stu", "ex");
        expect(posted.status).toBe(400);
        expect(posted.text).toContain("The launch from your LMS was refused");
        expect(posted.text).toMatch(message);
      } finally {
        w.platform.defect = undefined;
      }
      expect(count("users")).toBe(users);
      expect(count("lti_user_links")).toBe(links);
      expect(count("lti_launches")).toBe(launches);
      const home = await agent.get("/").set("Accept", "text/html");
      expect(home.status).toBe(302);
      expect(home.headers.location).toMatch(/^\/login/);
    });
  }

  it("refuses a replayed launch (the same state and nonce posted again)", async () => {
    const agent = request.agent(w.url);
    const fields = await authorize(w, agent, "stu", "ex");
    expect((await agent.post("/lti/launch").type("form").send(fields)).status).toBe(303);
    const users = count("lti_launches");
    const again = await agent.post("/lti/launch").type("form").send(fields);
    expect(again.status).toBe(400);
    expect(again.text).toContain("already used");
    expect(again.text).toContain("replayed");
    expect(count("lti_launches")).toBe(users);
  });

  it("refuses a launch without id_token or state, and a login from an unknown LMS", async () => {
    const missing = await request(w.url).post("/lti/launch").type("form").send({ state: "x" });
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/missing its id_token or state: id_token: required/);
    const unknown = await request(w.url).get(
      "/lti/login?iss=https://lms.nowhere.edu&login_hint=a&target_link_uri=https://x.edu/",
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("No LMS is registered with issuer https://lms.nowhere.edu");
  });
});

describe("cookies across sites", () => {
  it("offers a new window when the frame kept no cookie, and refuses outside a frame", async () => {
    const agent = request.agent(w.url);
    const fields = await authorize(w, agent, "stu", "ex");
    const posted = await agent.post("/lti/launch").type("form").send(fields);
    expect(posted.status).toBe(303);
    const cookieless = await request(w.url).get(String(posted.headers.location)).set("Sec-Fetch-Dest", "iframe");
    expect(cookieless.status).toBe(200);
    expect(cookieless.text).toContain("Open Flagship in a new window");
    const href = /href="([^"]+)" target="_blank"/.exec(cookieless.text)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(href).toMatch(/^\/lti\/login\?/);
    expect(new URLSearchParams(href.split("?")[1]).get("login_hint")).toBe("stu");
    const topLevel = await request(w.url).get(String(posted.headers.location));
    expect(topLevel.status).toBe(400);
    expect(topLevel.text).toContain("did not keep the cookie");
    // The launch was not spent by either: the browser that started it can still finish it.
    expect((await agent.get(String(posted.headers.location))).headers.location).toBe(
      "/exercises/purchase-dependencies",
    );
  });

  it("behind TLS sets the state cookie SameSite=None; Secure so a framed cross-site launch carries it", async () => {
    const t = await makeTestApp({ TRUST_PROXY: "1" });
    const { url, server } = await listen(t.app);
    try {
      const { savePlatform, platformInputSchema } = await import("../../../server/lti/platforms");
      savePlatform(t.db, platformInputSchema.parse(w.platform.registration));
      const res = await request(url)
        .get(`/lti/login?${w.platform.loginQuery("stu", "ex", url)}`)
        .set("X-Forwarded-Proto", "https");
      expect(res.status).toBe(302);
      const cookie = (res.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("flagship.lti."));
      expect(cookie).toMatch(/SameSite=None/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);

      // Finishing that launch inside the LMS's frame gives a session cookie that rides cross-site requests too.
      const agent = request.agent(url);
      const started = await agent
        .get(`/lti/login?${w.platform.loginQuery("stu", "ex", url)}`)
        .set("X-Forwarded-Proto", "https");
      const { fields } = formFields(await (await fetch(String(started.headers.location))).text());
      const posted = await agent.post("/lti/launch").set("X-Forwarded-Proto", "https").type("form").send(fields);
      expect(posted.status).toBe(303);
      // supertest keeps Secure cookies off plain http, so the state cookie is handed over as the browser would.
      const continued = await request(url)
        .get(String(posted.headers.location))
        .set("X-Forwarded-Proto", "https")
        .set("Sec-Fetch-Dest", "iframe")
        .set(
          "Cookie",
          String(
            /^([^;]+)/.exec(
              String((started.headers["set-cookie"] as unknown as string[]).find((c) => c.startsWith("flagship.lti."))),
            )?.[1],
          ),
        );
      expect(continued.status).toBe(303);
      const session = (continued.headers["set-cookie"] as unknown as string[]).find((c) =>
        c.startsWith("flagship.sid="),
      );
      expect(session).toMatch(/SameSite=None/i);
      expect(session).toMatch(/Secure/i);
      // A password sign-in keeps its Lax cookie.
      const who = await makeUser(t.db, "student");
      const loginPage = await request(url).get("/login").set("X-Forwarded-Proto", "https");
      const csrfCookie = String(
        /^([^;]+)/.exec(String((loginPage.headers["set-cookie"] as unknown as string[])[0]))?.[1],
      );
      const signedIn = await request(url)
        .post("/login")
        .set("X-Forwarded-Proto", "https")
        .set("Cookie", csrfCookie)
        .type("form")
        .send({ email: who.user.email, password: who.password, _csrf: csrfFrom(loginPage.text) });
      expect(signedIn.status).toBe(302);
      const passwordSession = (signedIn.headers["set-cookie"] as unknown as string[]).find((c) =>
        c.startsWith("flagship.sid="),
      );
      expect(passwordSession).toMatch(/SameSite=Lax/i);
    } finally {
      server.closeAllConnections();
      server.close();
      await t.close();
    }
  });
});
