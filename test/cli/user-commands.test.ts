import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/database";
import { findUserForLogin } from "../../server/users/users";
import { verifyPassword } from "../../server/auth/passwords";

function flagship(args: string[], dataDir: string) {
  const res = spawnSync(process.execPath, ["bin/flagship.js", ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npx flagship user …", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "flagship-cli-"));

  it("adds a TA and prints a password that signs in", async () => {
    const out = flagship(["user", "add", "--email", "TA.One@example.edu", "--role", "ta"], dataDir);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(out.stdout)?.[1];
    expect(password).toBeTruthy();
    const db = openDatabase(join(dataDir, "flagship.db"));
    const found = findUserForLogin(db, "ta.one@example.edu");
    expect(found?.user.role).toBe("ta");
    expect(await verifyPassword(password!, found!.passwordHash)).toBe(true);
    db.close();
  });

  it("explains bad input and exits non-zero", () => {
    const noRole = flagship(["user", "add", "--email", "x@example.edu"], dataDir);
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain("--role: is required");
    const badRole = flagship(["user", "add", "--email", "x@example.edu", "--role", "admin"], dataDir);
    expect(badRole.stderr).toContain("expected student, ta or instructor");
    const dup = flagship(["user", "add", "--email", "ta.one@example.edu", "--role", "ta"], dataDir);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already exists");
    const unknown = flagship(["user", "remove"], dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command: user remove");
  });

  it("resets a password", async () => {
    const out = flagship(["user", "reset-password", "--email", "ta.one@example.edu"], dataDir);
    expect(out.code).toBe(0);
    const password = /\(shown once\): (\S+)/.exec(out.stdout)?.[1];
    const db = openDatabase(join(dataDir, "flagship.db"));
    expect(await verifyPassword(password!, findUserForLogin(db, "ta.one@example.edu")!.passwordHash)).toBe(true);
    db.close();
    expect(flagship(["user", "reset-password", "--email", "nobody@example.edu"], dataDir).code).toBe(1);
  });
});
