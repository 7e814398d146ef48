/** Registering platforms (admin page and CLI), the tool's keys and their rotation, the LMS-facing URLs. */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { makeTestApp, makeUser, signIn, tokenFor, type TestApp } from "../../helpers/app";
import { openDatabase } from "../../../server/db/database";
import { listPlatforms } from "../../../server/lti/platforms";
import { KEY_GRACE_MS, publicJwks, rotateKey, signingKey } from "../../../server/lti/keys";

let t: TestApp;
let instructor: ReturnType<typeof request.agent>;

beforeAll(async () => {
  t = await makeTestApp();
  const who = await makeUser(t.db, "instructor");
  instructor = await signIn(t.app, who.user.email, who.password);
});
afterAll(() => t.close());

const valid = {
  name: "Canvas test",
  issuer: "https://canvas.instructure.com",
  clientId: "10000000000001",
  authUrl: "https://sso.canvaslms.com/api/lti/authorize_redirect",
  tokenUrl: "https://sso.canvaslms.com/login/oauth2/token",
  jwksUrl: "https://sso.canvaslms.com/api/lti/security/jwks",
  lmsOrigin: "https://school.instructure.com",
  deploymentIds: "1:abc, 2:def",
};

describe("the instructor's LMS page", () => {
  it("shows what to paste into the LMS, with a Canvas JSON configuration", async () => {
    const page = await instructor.get("/admin/lti");
    expect(page.status).toBe(200);
    for (const path of ["/lti/login", "/lti/launch", "/lti/jwks", "/lti/canvas.json"])
      expect(page.text).toContain(path);
    expect(page.text).toContain("oidc_initiation_url");
    const json = await request(t.app).get("/lti/canvas.json");
    expect(json.body.oidc_initiation_url).toMatch(/\/lti\/login$/);
    expect(json.body.target_link_uri).toMatch(/\/lti\/launch$/);
    expect(json.body.public_jwk_url).toMatch(/\/lti\/jwks$/);
    expect(json.body.extensions[0].settings.placements[0].message_type).toBe("LtiDeepLinkingRequest");
  });

  it("refuses a bad registration naming each field, and keeps what was typed", async () => {
    const res = await instructor
      .post("/admin/lti/platforms")
      .type("form")
      .send({
        ...valid,
        issuer: "not a url",
        jwksUrl: "http://evil.example.com/jwks",
        deploymentIds: "",
        _csrf: await tokenFor(instructor, "/admin/lti"),
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Issuer must be a URL");
    expect(res.text).toContain("must be an https URL");
    expect(res.text).toContain("Deployment ids must list at least one deployment id");
    expect(res.text).toContain('value="Canvas test"');
    expect(listPlatforms(t.db)).toEqual([]);
  });

  it("registers a platform with its deployments, then frames Flagship only for that LMS", async () => {
    const before = await request(t.app).get("/login");
    expect(before.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    const res = await instructor
      .post("/admin/lti/platforms")
      .type("form")
      .send({ ...valid, _csrf: await tokenFor(instructor, "/admin/lti") });
    expect(res.status).toBe(303);
    const [platform] = listPlatforms(t.db);
    expect(platform).toMatchObject({
      issuer: valid.issuer,
      clientId: valid.clientId,
      deploymentIds: ["1:abc", "2:def"],
    });
    const page = await instructor.get("/admin/lti");
    expect(page.text).toContain("10000000000001");
    const after = await request(t.app).get("/login");
    expect(after.headers["content-security-policy"]).toContain("frame-ancestors https://school.instructure.com");
  });
});

describe("the tool's keys", () => {
  it("publishes the signing key at /lti/jwks, and a rotation keeps the old one for the grace period", async () => {
    const first = await request(t.app).get("/lti/jwks");
    expect(first.status).toBe(200);
    expect(first.body.keys).toHaveLength(1);
    expect(first.body.keys[0]).not.toHaveProperty("d");
    const oldKey = await signingKey(t.db);
    const signedBefore = await new SignJWT({ hello: "world" })
      .setProtectedHeader({ alg: "RS256", kid: oldKey.kid })
      .setIssuedAt()
      .sign(oldKey.key);

    const now = Date.now();
    const { kid } = await rotateKey(t.db, now);
    const both = await request(t.app).get("/lti/jwks");
    expect(both.body.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([kid, oldKey.kid].sort());
    // What the old key signed still verifies against the published set.
    await expect(jwtVerify(signedBefore, createLocalJWKSet(both.body))).resolves.toBeTruthy();
    expect((await signingKey(t.db)).kid).toBe(kid);

    const later = await publicJwks(t.db, now + KEY_GRACE_MS + 1);
    expect(later.keys.map((k) => k.kid)).toEqual([kid]);
  });

  it("lets the instructor rotate from the page", async () => {
    const before = (await request(t.app).get("/lti/jwks")).body.keys.length as number;
    const res = await instructor
      .post("/admin/lti/rotate-key")
      .type("form")
      .send({ _csrf: await tokenFor(instructor, "/admin/lti") });
    expect(res.status).toBe(303);
    expect((await request(t.app).get("/lti/jwks")).body.keys.length).toBe(before + 1);
  });
});

describe("npx flagship lti …", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "flagship-cli-lti-"));
  const flagship = (args: string[]) => {
    const res = spawnSync(process.execPath, ["bin/flagship.js", ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 120_000,
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  it("adds a platform, adds a deployment to it, and names each bad flag", () => {
    const base = [
      "lti",
      "add-platform",
      "--issuer",
      "https://moodle.example.edu",
      "--client-id",
      "abc",
      "--auth-url",
      "https://moodle.example.edu/mod/lti/auth.php",
      "--token-url",
      "https://moodle.example.edu/mod/lti/token.php",
      "--jwks-url",
      "https://moodle.example.edu/mod/lti/certs.php",
    ];
    const added = flagship([...base, "--deployment-id", "1"]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(flagship([...base, "--deployment-id", "2"]).code).toBe(0);
    const db = openDatabase(join(dataDir, "flagship.db"));
    expect(listPlatforms(db).map((p) => p.deploymentIds)).toEqual([["1", "2"]]);
    db.close();

    const bad = flagship(["lti", "add-platform", "--issuer", "nope", "--client-id", "abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--issuer: must be a URL");
    expect(bad.stderr).toContain("--auth-url: required");
    expect(bad.stderr).toContain("--deployment-id: must list at least one deployment id");
  });

  it("rotates the key", () => {
    const out = flagship(["lti", "rotate-key"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/New signing key [0-9a-f-]{36}/);
  });
});
