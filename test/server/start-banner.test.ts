/**
 * The first start as an operator sees it: the real server process prints the demo accounts and which
 * sandbox grades code, and its request logs stay one short line each, so the passwords do not
 * scroll away under request headers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startServerProcess } from "../helpers/server-process";
import { sandboxBanner } from "../../server/sandbox-banner";
import { detectSandboxMode } from "../../grader/sandbox/modes";

describe("the start banner", () => {
  it("names each sandbox mode, and says how to install bubblewrap when it is not the one in use", () => {
    expect(sandboxBanner({ mode: "bwrap" })).toContain("bubblewrap (the strongest sandbox)");
    const unshare = sandboxBanner({ mode: "unshare" });
    expect(unshare).toContain("unshare + setpriv");
    expect(unshare).toContain("apt-get install bubblewrap");
    const none = sandboxBanner({ error: "no sandbox" });
    expect(none).toContain("code submissions are refused");
    expect(none).toContain("apt-get install bubblewrap");
    expect(sandboxBanner({ mode: "unsafe" })).toContain("NO operating-system sandbox");
  });

  it("is printed by the real server on first start, with short request log lines after it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "flagship-banner-"));
    const server = await startServerProcess({ DATA_DIR: dataDir, GRADER_WORKERS: "1" });
    try {
      const detected = detectSandboxMode();
      for (let i = 0; i < 100 && !server.output().includes("Code grading:"); i++)
        await new Promise((r) => setTimeout(r, 50));
      const output = server.output();
      expect(output).toContain("Demo course created.");
      expect(output).toContain(sandboxBanner(detected));

      await fetch(`${server.url}/login?next=%2Fexercises`, { headers: { "User-Agent": "an-agent-string-not-to-log" } });
      for (let i = 0; i < 100 && !server.output().includes('"path":"/login"'); i++)
        await new Promise((r) => setTimeout(r, 50));
      const line = server
        .output()
        .split("\n")
        .find((l) => l.includes('"path":"/login"'));
      expect(line).toBeDefined();
      const entry = JSON.parse(line!) as {
        req: Record<string, unknown>;
        res: Record<string, unknown>;
        responseTime: number;
      };
      expect(Object.keys(entry.req).sort()).toEqual(["id", "method", "path"]);
      expect(entry.res).toEqual({ statusCode: 200 });
      expect(typeof entry.responseTime).toBe("number");
      expect(server.output()).not.toContain("an-agent-string-not-to-log");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
