/** Shared set-up for LTI tests: the app on a real port, a fake platform registered with it, launches. */
import type { Server } from "node:http";
import request from "supertest";
import { expect } from "vitest";
import { makeTestApp, type TestApp } from "../../helpers/app";
import { listen } from "../../helpers/browser";
import { FakePlatform, formFields, ROLE } from "../../helpers/fake-platform";
import { platformInputSchema, savePlatform } from "../../../server/lti/platforms";

export interface LtiWorld {
  t: TestApp;
  url: string;
  server: Server;
  platform: FakePlatform;
  /** Stops serving, reopens the same database file in a fresh app (as a process restart would) and serves it again. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startLtiWorld(env: Record<string, string> = {}): Promise<LtiWorld> {
  const t = await makeTestApp(env);
  const { url, server } = await listen(t.app);
  const platform = await FakePlatform.start();
  platform.toolJwksUrl = `${url}/lti/jwks`;
  savePlatform(t.db, platformInputSchema.parse(platform.registration));
  platform.users.set("stu", {
    sub: "lms-student-1",
    name: "Ada Student",
    email: "ada@school.edu",
    roles: [ROLE.learner],
  });
  platform.users.set("ins", {
    sub: "lms-instructor-1",
    name: "Grace Instructor",
    email: "grace@school.edu",
    roles: [ROLE.instructor],
  });
  platform.users.set("ta", { sub: "lms-ta-1", name: "Alan Assistant", email: "alan@school.edu", roles: [ROLE.ta] });
  platform.links.set("ex", {
    kind: "resource",
    id: "link-ex",
    title: "Purchase dependencies",
    custom: { flagship_exercise: "purchase-dependencies" },
  });
  platform.links.set("mod", { kind: "resource", id: "link-mod", targetLinkUri: `${url}/modules/dark-launches` });
  platform.links.set("dl", { kind: "deep-linking", id: "dl" });
  const world: LtiWorld = {
    t,
    url,
    server,
    platform,
    async restart() {
      world.server.closeAllConnections();
      world.server.close();
      world.t = await world.t.restart();
      const served = await listen(world.t.app);
      world.server = served.server;
      world.url = served.url;
      platform.toolJwksUrl = `${served.url}/lti/jwks`;
    },
    async close() {
      world.server.closeAllConnections();
      world.server.close();
      await platform.close();
      await world.t.close();
    },
  };
  return world;
}

export type Agent = ReturnType<typeof request.agent>;

/** Login initiation at the tool, then the platform's authorization page: the form the LMS would post. */
export async function authorize(
  world: LtiWorld,
  agent: Agent,
  userHint: string,
  linkHint: string,
): Promise<Record<string, string>> {
  const login = await agent.get(`/lti/login?${world.platform.loginQuery(userHint, linkHint, world.url)}`);
  expect(login.status, login.text).toBe(302);
  const page = await fetch(String(login.headers.location));
  const { action, fields } = formFields(await page.text());
  expect(action).toBe(`${world.url}/lti/launch`);
  return fields;
}

/** A whole launch: returns the launch POST's answer and, when it was accepted, the continue step's. */
export async function launch(world: LtiWorld, agent: Agent, userHint: string, linkHint: string) {
  const fields = await authorize(world, agent, userHint, linkHint);
  const posted = await agent.post("/lti/launch").type("form").send(fields);
  if (posted.status !== 303) return { posted, fields };
  const landed = await agent.get(String(posted.headers.location));
  return { posted, landed, fields };
}

/** Polls until the condition holds; a loaded machine can be slow, so the wait is generous and nothing is timed. */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
