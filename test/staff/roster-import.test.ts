import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, signIn, tokenFor, type TestApp } from "../helpers/app";
import { agentFor, postForm, type Agent } from "./instructor-helpers";
import { importRoster } from "../../server/pages/admin-users/roster-import";

let t: TestApp;
let instructor: Agent;

beforeAll(async () => {
  t = await makeTestApp();
  instructor = (await agentFor(t, "instructor")).agent;
  t.db.prepare("INSERT INTO users (email, name, role, password_hash) VALUES ('taken@example.edu', 'Taken', 'student', 'x')").run();
});
afterAll(() => t.close());

const mixed = [
  "\uFEFFname,email,role",
  "Ada Lovelace,ada@example.edu,student",
  '"Hopper, Grace",grace@example.edu,TA',
  "No Email,not-an-email,student",
  "Odd Role,odd@example.edu,professor",
  "Ada Again,ADA@example.edu,student",
  "Already Here,taken@example.edu,student",
  ",blank-name@example.edu,student",
].join("\r\n");

function userCount(email: string): number {
  return t.db.prepare("SELECT count(*) FROM users WHERE email = ?").pluck().get(email) as number;
}

describe("roster CSV import", () => {
  it("uploads a mixed file and reports every row: added with a password once, or skipped with the reason", async () => {
    const res = await instructor
      .post("/admin/users/import")
      .field("_csrf", await tokenFor(instructor, "/admin/users"))
      .attach("file", Buffer.from(mixed, "utf8"), { filename: "roster.csv", contentType: "text/csv" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("2 added, 5 skipped.");
    expect(res.text).toMatch(/ada@example\.edu<\/td>[\s\S]*?added[\s\S]*?<code class="secret">[^<]{8,}<\/code>/);
    expect(res.text).toContain("Hopper, Grace");
    expect(res.text).toContain("bad email: &#34;not-an-email&#34;");
    expect(res.text).toContain("unknown role &#34;professor&#34;");
    expect(res.text).toContain("duplicate in file: ada@example.edu");
    expect(res.text).toContain("already exists: taken@example.edu");
    expect(res.text).toContain("name is required");

    // Nothing was written for the bad rows; the good ones are there with the right role.
    expect(userCount("odd@example.edu")).toBe(0);
    expect(userCount("blank-name@example.edu")).toBe(0);
    expect(userCount("taken@example.edu")).toBe(1);
    expect(t.db.prepare("SELECT role FROM users WHERE email = 'grace@example.edu'").pluck().get()).toBe("ta");

    // The password shown works, and is not shown again on the roster.
    const password = /grace@example\.edu<\/td>[\s\S]*?<code class="secret">([^<]+)<\/code>/.exec(res.text)?.[1];
    expect(password).toBeDefined();
    await signIn(t.app, "grace@example.edu", password!);
    expect((await instructor.get("/admin/users")).text).not.toContain(password!);
  });

  it("accepts pasted CSV too, and refuses a file without the required header", async () => {
    const ok = await postForm(instructor, "/admin/users/import", { csv: "email,name,role\npasted@example.edu,Pasted Person,student\n" }, "/admin/users");
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("1 added, 0 skipped.");
    const bad = await postForm(instructor, "/admin/users/import", { csv: "mail,name\nx@example.edu,X\n" }, "/admin/users");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("missing: email, role");
    expect(bad.text).toContain("x@example.edu,X");
    expect(userCount("x@example.edu")).toBe(0);
    const semicolons = await postForm(instructor, "/admin/users/import", { csv: "email;name;role\ns@example.edu;S;student\n" }, "/admin/users");
    expect(semicolons.status).toBe(400);
    expect(semicolons.text).toContain("The file seems to use semicolons");
  });

  it("adds nobody when the request is cancelled while passwords are hashed, since nobody would see them", async () => {
    const csv = ["email,name,role", ...Array.from({ length: 30 }, (_, i) => `gone${i}@example.edu,Gone ${i},student`)].join("\n");
    const cancelled = new AbortController();
    const importing = importRoster(t.db, csv, cancelled.signal);
    cancelled.abort(); // while the 30 passwords are being hashed
    expect(await importing).toEqual({ ok: false, message: expect.stringContaining("nobody was added") });
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email LIKE 'gone%'").pluck().get()).toBe(0);

    // Over HTTP: the browser goes away mid-import. The same import afterwards adds all 30, so none was added before.
    const request = instructor.post("/admin/users/import").type("form").send({ _csrf: await tokenFor(instructor, "/admin/users"), csv });
    const gone = new Promise<void>((resolve) => {
      request.on("abort", () => resolve());
      request.on("error", () => resolve());
    });
    request.then(() => undefined, () => undefined);
    setTimeout(() => {
      request.abort();
    }, 100);
    await gone;
    // Hashing runs on a first-in-first-out thread pool: once a later import's passwords are hashed, so are these.
    expect((await postForm(instructor, "/admin/users/import", { csv: "email,name,role\nlater@example.edu,Later,student\n" }, "/admin/users")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email LIKE 'gone%'").pluck().get()).toBe(0);
    const again = await postForm(instructor, "/admin/users/import", { csv }, "/admin/users");
    expect(again.text).toContain("30 added, 0 skipped.");
  });

  it("keeps deactivation as it was: work is kept", async () => {
    const { user } = await agentFor(t, "student");
    const res = await postForm(instructor, `/admin/users/${user.id}/active`, { active: "0", confirm: "yes" }, "/admin/users");
    expect(res.status).toBe(302);
    expect(t.db.prepare("SELECT active FROM users WHERE id = ?").pluck().get(user.id)).toBe(0);
  });
});
