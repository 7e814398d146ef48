/** NRPS roster sync against the fake LMS: on demand and on an instructor's launch, paginated; leavers deactivated, never deleted. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { launch, startLtiWorld, type LtiWorld } from "./launch-helpers";
import { ROLE } from "../../helpers/fake-platform";
import { testSecret, tokenFor } from "../../helpers/app";
import { listen } from "../../helpers/browser";
import { createApp } from "../../../server/app";
import { createLogger } from "../../../server/logger";
import { rosterSyncOnInstructorLaunch } from "../../../server/lti/roster-hooks";

let w: LtiWorld;
beforeAll(async () => {
  w = await startLtiWorld();
  for (const n of [3, 4, 5])
    w.platform.users.set(`s${n}`, {
      sub: `lms-student-${n}`,
      name: `Student ${n}`,
      email: `s${n}@school.edu`,
      roles: [ROLE.learner],
    });
});
afterAll(() => w.close());

const user = (email: string) =>
  w.t.db.prepare("SELECT id, active, role FROM users WHERE email = ?").get(email) as
    { id: number; active: number; role: string } | undefined;

describe("roster sync", () => {
  it("on an instructor's launch, reads every page and links or creates each member", async () => {
    const logger = createLogger("silent");
    const hooks = rosterSyncOnInstructorLaunch(w.t.db, logger);
    const app = createApp(
      { config: w.t.config, db: w.t.db, logger, course: w.t.course, ltiHooks: hooks },
      { sessionSecret: testSecret },
    );
    const { url, server } = await listen(app);
    try {
      const world = { ...w, url };
      const { landed } = await launch(world, request.agent(url), "ins", "ex");
      expect(landed?.status).toBe(303);
      await hooks.idle();
    } finally {
      server.closeAllConnections();
      server.close();
    }
    // Six people, two a page: three pages, each followed from the Link header.
    expect(w.platform.nrpsPages).toBe(3);
    for (const n of [3, 4, 5]) expect(user(`s${n}@school.edu`)).toMatchObject({ active: 1, role: "student" });
    expect(user("alan@school.edu")?.role).toBe("ta");
  });

  it("on demand, deactivates people who left or are inactive, keeps them, and brings them back", async () => {
    const agent = request.agent(w.url);
    await launch(w, agent, "ins", "ex");
    const contextId = w.t.db.prepare("SELECT id FROM lti_contexts").pluck().get() as number;
    const sync = async () => {
      const res = await agent
        .post(`/admin/lti/contexts/${contextId}/roster-sync`)
        .type("form")
        .send({ _csrf: await tokenFor(agent, "/admin/lti") });
      expect(res.status).toBe(303);
      return (await agent.get("/admin/lti")).text;
    };
    const users = w.t.db.prepare("SELECT count(*) FROM users").pluck().get();
    w.platform.users.get("s3")!.left = true;
    w.platform.users.get("s4")!.status = "Inactive";
    const page = await sync();
    expect(page).toContain("Roster synced: 4 active (0 new), 2 deactivated");
    expect(user("s3@school.edu")?.active).toBe(0);
    expect(user("s4@school.edu")?.active).toBe(0);
    expect(user("s5@school.edu")?.active).toBe(1);
    expect(w.t.db.prepare("SELECT count(*) FROM users").pluck().get()).toBe(users);

    w.platform.users.get("s3")!.left = false;
    expect(await sync()).toContain("Roster synced: 5 active (0 new), 0 deactivated");
    expect(user("s3@school.edu")?.active).toBe(1);
  });

  it("says why a sync failed when the LMS is down", async () => {
    const agent = request.agent(w.url);
    await launch(w, agent, "ins", "ex");
    const contextId = w.t.db.prepare("SELECT id FROM lti_contexts").pluck().get() as number;
    w.platform.down = true;
    try {
      await agent
        .post(`/admin/lti/contexts/${contextId}/roster-sync`)
        .type("form")
        .send({ _csrf: await tokenFor(agent, "/admin/lti") });
      expect((await agent.get("/admin/lti")).text).toMatch(/Roster sync failed: .*503/);
    } finally {
      w.platform.down = false;
    }
  });
});
