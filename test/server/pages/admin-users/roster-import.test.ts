import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, signIn, tokenFor, type TestApp } from "../../../helpers/app";
import { agentFor, postForm, type Agent } from "../instructor/instructor-helpers";
import { importRoster } from "../../../../server/pages/admin-users/roster-import";
import { readMultipart } from "../../../../server/pages/admin-users/multipart";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

let t: TestApp;
let instructor: Agent;

beforeAll(async () => {
  t = await makeTestApp();
  instructor = (await agentFor(t, "instructor")).agent;
  t.db
    .prepare(
      "INSERT INTO users (email, name, role, password_hash) VALUES ('taken@example.edu', 'Taken', 'student', 'x')",
    )
    .run();
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
    const ok = await postForm(
      instructor,
      "/admin/users/import",
      { csv: "email,name,role\npasted@example.edu,Pasted Person,student\n" },
      "/admin/users",
    );
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("1 added, 0 skipped.");
    const bad = await postForm(
      instructor,
      "/admin/users/import",
      { csv: "mail,name\nx@example.edu,X\n" },
      "/admin/users",
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("missing: email, role");
    expect(bad.text).toContain("x@example.edu,X");
    expect(userCount("x@example.edu")).toBe(0);
    const semicolons = await postForm(
      instructor,
      "/admin/users/import",
      { csv: "email;name;role\ns@example.edu;S;student\n" },
      "/admin/users",
    );
    expect(semicolons.status).toBe(400);
    expect(semicolons.text).toContain("The file seems to use semicolons");
  });

  it("adds nobody when the request is cancelled while passwords are hashed, since nobody would see them", async () => {
    const csv = [
      "email,name,role",
      ...Array.from({ length: 30 }, (_, i) => `gone${i}@example.edu,Gone ${i},student`),
    ].join("\n");
    const cancelled = new AbortController();
    const importing = importRoster(t.db, csv, cancelled.signal);
    cancelled.abort(); // while the 30 passwords are being hashed
    expect(await importing).toEqual({ ok: false, message: expect.stringContaining("nobody was added") });
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email LIKE 'gone%'").pluck().get()).toBe(0);

    // Over HTTP: the browser goes away mid-import. The same import afterwards adds all 30, so none was added before.
    const request = instructor
      .post("/admin/users/import")
      .type("form")
      .send({ _csrf: await tokenFor(instructor, "/admin/users"), csv });
    const gone = new Promise<void>((resolve) => {
      request.on("abort", () => resolve());
      request.on("error", () => resolve());
    });
    request.then(
      () => undefined,
      () => undefined,
    );
    setTimeout(() => {
      request.abort();
    }, 100);
    await gone;
    // Hashing runs on a first-in-first-out thread pool: once a later import's passwords are hashed, so are these.
    expect(
      (
        await postForm(
          instructor,
          "/admin/users/import",
          { csv: "email,name,role\nlater@example.edu,Later,student\n" },
          "/admin/users",
        )
      ).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email LIKE 'gone%'").pluck().get()).toBe(0);
    const again = await postForm(instructor, "/admin/users/import", { csv }, "/admin/users");
    expect(again.text).toContain("30 added, 0 skipped.");
  });

  describe("the upload, read as multipart/form-data", () => {
    const boundary = "----flagship-test-boundary";
    /** A body written part by part, as a browser would, so each case can say exactly what it sends. */
    const multipart = (parts: { disposition: string; type?: string; body: Buffer | string }[]): Buffer =>
      Buffer.concat([
        ...parts.flatMap((p) => [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; ${p.disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`,
          ),
          Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body, "utf8"),
          Buffer.from("\r\n"),
        ]),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
    const upload = async (body: Buffer, contentType = `multipart/form-data; boundary=${boundary}`) =>
      instructor
        .post("/admin/users/import")
        .set("Accept", "application/json")
        .set("Content-Type", contentType)
        .send(body);

    it("reads each part on its own: a filename before the name, a binary part beside it, UTF-8 in the file", async () => {
      const csrf = await tokenFor(instructor, "/admin/users");
      const res = await upload(
        multipart([
          { disposition: 'name="_csrf"', body: csrf },
          // Not UTF-8 at all: it must not disturb the parts around it.
          {
            disposition: 'name="photo"; filename="x.bin"',
            type: "application/octet-stream",
            body: Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0d]),
          },
          {
            disposition: 'filename="roster.csv"; name="file"',
            type: "text/csv",
            body: "email,name,role\nzoe@example.edu,Zoë Ångström,student\n",
          },
        ]),
      );
      expect(res.status).toBe(200);
      expect(res.text).toContain("1 added, 0 skipped.");
      expect(t.db.prepare("SELECT name FROM users WHERE email = 'zoe@example.edu'").pluck().get()).toBe("Zoë Ångström");
    });

    it("refuses a body over the limit with the same 413 and message as any other body, whether or not it declares its length", async () => {
      const csrf = await tokenFor(instructor, "/admin/users");
      const big = multipart([
        { disposition: 'name="_csrf"', body: csrf },
        {
          disposition: 'name="file"; filename="big.csv"',
          type: "text/csv",
          body: "email,name,role\n" + "x".repeat(t.config.BODY_LIMIT_BYTES),
        },
      ]);
      const declared = await upload(big);
      expect(declared.status).toBe(413);
      expect(declared.body.error.code).toBe("payload_too_large");
      expect(declared.body.error.message).toContain(
        `larger than ${Math.round(t.config.BODY_LIMIT_BYTES / 1024)} KB, so nothing was saved`,
      );
      expect(userCount("big@example.edu")).toBe(0);

      // Sent in chunks without a Content-Length (supertest cannot stream a body, so a plain server
      // reads it): counted as it arrives, and refused the same way once past the limit.
      const server = createServer((req, res) => {
        readMultipart(req, 100_000).then(
          (fields) => res.end(JSON.stringify(Object.keys(fields))),
          (err: { type?: string; status?: number }) => res.writeHead(err.status ?? 500).end(String(err.type)),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const sending = httpRequest(
            {
              port,
              host: "127.0.0.1",
              method: "POST",
              headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
            },
            (res) => {
              let text = "";
              res.on("data", (chunk: Buffer) => (text += chunk.toString()));
              res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
            },
          );
          sending.on("error", reject);
          for (let at = 0; at < big.length; at += 16_384) sending.write(big.subarray(at, at + 16_384));
          sending.end();
        });
        expect(answer).toEqual({ status: 413, text: "entity.too.large" });
      } finally {
        server.close();
      }
    });

    it("answers a body it cannot split into parts with 400 and what is wrong, not an empty form", async () => {
      const noBoundary = await upload(Buffer.from("email,name,role\n"), "multipart/form-data");
      expect(noBoundary.status).toBe(400);
      expect(noBoundary.body.error.code).toBe("bad_multipart");
      expect(noBoundary.body.error.message).toMatch(
        /^The upload could not be read: .*boundary.*\. Go back and choose the file again\.$/i,
      );

      const cut = multipart([{ disposition: 'name="file"; filename="r.csv"', body: "email,name,role\n" }]).subarray(
        0,
        60,
      );
      const truncated = await upload(cut);
      expect(truncated.status).toBe(400);
      expect(truncated.body.error.code).toBe("bad_multipart");
      expect(truncated.body.error.message).toContain("Unexpected end of form");
    });
  });

  it("keeps deactivation as it was: work is kept", async () => {
    const { user } = await agentFor(t, "student");
    const res = await postForm(
      instructor,
      `/admin/users/${user.id}/active`,
      { active: "0", confirm: "yes" },
      "/admin/users",
    );
    expect(res.status).toBe(302);
    expect(t.db.prepare("SELECT active FROM users WHERE id = ?").pluck().get(user.id)).toBe(0);
  });
});
