/** Deep Linking 2.0 round trip: an instructor's deep-linking launch, the picker, the signed response, and a launch of what it made. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { launch, startLtiWorld, type LtiWorld } from "./launch-helpers";
import { tokenFor } from "../../helpers/app";

let w: LtiWorld;
beforeAll(async () => {
  w = await startLtiWorld();
});
afterAll(() => w.close());

const DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";

describe("deep linking", () => {
  it("returns the chosen module and exercise as signed links, exercises with a line item, and they launch", async () => {
    const agent = request.agent(w.url);
    const { landed } = await launch(w, agent, "ins", "dl");
    const picker = String(landed?.headers.location);
    expect(picker).toMatch(/^\/admin\/lti\/deep-linking\/[\w-]+$/);
    const page = await agent.get(picker);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="exercise:purchase-dependencies"');

    const none = await agent
      .post(picker)
      .type("form")
      .send({ _csrf: await tokenFor(agent, picker) });
    expect(none.status).toBe(400);
    expect(none.text).toContain("Choose at least one module or exercise.");

    const chosen = await agent
      .post(picker)
      .type("form")
      .send({
        items: ["module:dark-launches", "exercise:purchase-dependencies"],
        _csrf: await tokenFor(agent, picker),
      });
    expect(chosen.status).toBe(200);
    expect(chosen.headers["content-security-policy"]).toContain(`form-action 'self' ${w.platform.url}`);
    const action = /<form method="post" action="([^"]+)">/.exec(chosen.text)?.[1];
    expect(action).toBe(`${w.platform.url}/deep-link-return`);
    const jwt = /name="JWT" value="([^"]+)"/.exec(chosen.text)?.[1] ?? "";
    const returned = await fetch(action!, { method: "POST", body: new URLSearchParams({ JWT: jwt }) });
    expect(returned.status).toBe(200);

    const response = w.platform.deepLinkResponses[0]!;
    expect(response["https://purl.imsglobal.org/spec/lti/claim/message_type"]).toBe("LtiDeepLinkingResponse");
    expect(response["https://purl.imsglobal.org/spec/lti/claim/deployment_id"]).toBe(w.platform.deploymentId);
    expect(response[`${DL}data`]).toBe("opaque-platform-data");
    const items = response[`${DL}content_items`] as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      type: "ltiResourceLink",
      url: `${w.url}/lti/launch`,
      custom: { flagship_module: "dark-launches" },
    });
    expect(items[0]).not.toHaveProperty("lineItem");
    expect(items[1]).toMatchObject({
      custom: { flagship_exercise: "purchase-dependencies" },
      lineItem: { resourceId: "purchase-dependencies", tag: "flagship" },
    });

    // The request is single use.
    expect((await agent.get(picker)).status).toBe(404);

    // The LMS makes a link (and a line item) from each item; a student's launch of the exercise lands on it
    // and records the line item the launch names, so scores go to that column.
    const lineitem = `${w.platform.lineitemsUrl()}/77`;
    w.platform.links.set("made", {
      kind: "resource",
      id: "made-1",
      custom: items[1]!.custom as Record<string, string>,
      lineitem,
    });
    const student = await launch(w, request.agent(w.url), "stu", "made");
    expect(student.landed?.headers.location).toBe("/exercises/purchase-dependencies");
    expect(
      w.t.db
        .prepare("SELECT lineitem_url FROM lti_line_items WHERE exercise_id = 'purchase-dependencies'")
        .pluck()
        .get(),
    ).toBe(lineitem);
  });

  it("refuses a deep-linking launch by a student, writing nothing", async () => {
    const users = w.t.db.prepare("SELECT count(*) FROM lti_deep_link_requests").pluck().get();
    w.platform.users.set("stu2", {
      sub: "lms-student-2",
      name: "Bo Student",
      email: "bo@school.edu",
      roles: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
    });
    const agent = request.agent(w.url);
    const { posted, landed } = await launch(w, agent, "stu2", "dl");
    expect(posted.status).toBe(303);
    expect(landed?.status).toBe(403);
    expect(landed?.text).toContain("Only an instructor can choose");
    expect(w.t.db.prepare("SELECT count(*) FROM lti_deep_link_requests").pluck().get()).toBe(users);
    expect(w.t.db.prepare("SELECT count(*) FROM users WHERE email = 'bo@school.edu'").pluck().get()).toBe(0);
  });
});
