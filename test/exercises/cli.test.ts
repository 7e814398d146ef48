import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The CLI is bundled on its own (not through scripts/build.mjs) so this test does not depend on, or
// race with, the rest of dist/. It lives under .tmp/ so node resolves npm packages from node_modules.
const outDir = resolve(".tmp", `cli-test-${process.pid}`);
const cli = join(outDir, "cli.mjs");
const scratch = mkdtempSync(join(tmpdir(), "flagship-cli-exercises-"));

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    stdin: {
      contents: 'import { main } from "./cli/main";\nprocess.exitCode = await main(process.argv.slice(2));\n',
      resolveDir: process.cwd(),
      loader: "ts",
    },
    outfile: cli,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
});
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function flagship(...args: string[]) {
  const res = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npx flagship grade", () => {
  it("prints the result as JSON with --json and exits 0", () => {
    const answerFile = join(scratch, "answer.json");
    const sample = readFileSync("exercises/rollout-plan/reference.yaml", "utf8");
    writeFileSync(join(scratch, "answer.yaml"), sample);
    const graded = flagship("grade", "rollout-plan", join(scratch, "answer.yaml"), "--json");
    expect(graded.stderr).toBe("");
    expect(graded.code).toBe(0);
    const result = JSON.parse(graded.stdout);
    expect(result).toMatchObject({ status: "graded", score: 23, maxScore: 23 });

    writeFileSync(
      answerFile,
      JSON.stringify({
        tests: ["flag-on-new"],
        steps: [{ action: "ramp", percent: 100, metrics: [], rollback: "none" }],
      }),
    );
    const partial = flagship("grade", "rollout-plan", answerFile, "--json");
    expect(partial.code).toBe(0);
    const partialResult = JSON.parse(partial.stdout);
    expect(partialResult.status).toBe("graded");
    // "Reaches 100%", "no manual-only test", and the column rule (its missing steps are charged by the rules that require them).
    expect(partialResult.score).toBe(3);
    expect(partialResult.tests.find((t: { id: string }) => t.id === "ramp-incremental").status).toBe("fail");
  });

  it("prints a readable summary with feedback for failed rules", () => {
    const file = join(scratch, "drift.yaml");
    writeFileSync(
      file,
      "scenarios: { passMismatch: compatible, failMismatch: incompatible, failMatch: own-code, newFieldRead: missing-coverage, newFieldForwarded: pass-through, allMatch: nothing }\nworstCase: incompatible\ndetectDrift: run-unmocked\nflakyCause: slow-machine\n",
    );
    const out = flagship("grade", "mock-drift", file);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("mock-drift: 12/17");
    // A student reads rule names; the raw ids stay in --json, for scripts.
    expect(out.stdout.split("\n")).toContain("  FAIL 0/3  Flaky tests usually mean a partially ramped flag");
    expect(out.stdout).not.toContain("flaky-partial-ramp");
    expect(out.stdout).not.toMatch(/\[[a-z0-9]+(-[a-z0-9]+)*\]/);
    const json = JSON.parse(flagship("grade", "mock-drift", file, "--json").stdout);
    expect(
      json.tests.find((t: { name: string }) => t.name === "Flaky tests usually mean a partially ramped flag")?.id,
    ).toBe("flaky-partial-ramp");
    expect(out.stdout).toContain("Read: /modules/testing-your-service#flaky-tests-and-partially-ramped-flags");
  });

  it("explains bad input and exits non-zero", () => {
    const file = join(scratch, "bad.yaml");
    writeFileSync(file, "scenarios: { passMismatch: maybe }\nextra: 1\n");
    const bad = flagship("grade", "mock-drift", file);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("scenarios.passMismatch: expected one of: compatible, incompatible");
    expect(bad.stdout).toContain("scenarios.failMismatch: required");
    expect(bad.stdout).toContain("extra: unknown field");

    const unknown = flagship("grade", "no-such-exercise", file);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No exercise "no-such-exercise"');

    const missing = flagship("grade", "mock-drift", join(scratch, "missing.yaml"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing.yaml: cannot be read");

    const usage = flagship("grade", "mock-drift");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: flagship grade");
  });
});

describe("npx flagship exercises check", () => {
  it("passes on good exercises and lists every problem, with file and field path, on broken ones", () => {
    const dir = join(scratch, "tree");
    for (const id of ["metrics-priority-rides", "compatible-changes"])
      cpSync(join("exercises", id), join(dir, id), { recursive: true });
    const good = flagship("exercises", "check", "--dir", dir);
    expect(good.stderr).toBe("");
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("All 2 exercises are valid");

    const manifest = join(dir, "compatible-changes", "exercise.yaml");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8")
        .replace("    points: 1\n    where: { changes.renameField", "    points: 0\n    where: { changes.renameField")
        .replace(
          "link: /modules/databases-and-clients#three-moving-parts",
          "link: /modules/databases-and-clients#four-moving-parts",
        ),
    );
    const golden = join(dir, "metrics-priority-rides", "samples", "wrong-denominators.result.json");
    writeFileSync(golden, readFileSync(golden, "utf8").replace('"maxScore": 16', '"maxScore": 17'));
    const bad = flagship("exercises", "check", "--dir", dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${manifest}: rubric[2].points: expected a positive number`);
    expect(bad.stderr).toContain(`${golden}: (file): differs from the result the grader gives now`);

    writeFileSync(manifest, readFileSync(manifest, "utf8").replace("points: 0", "points: 1"));
    const link = flagship("exercises", "check", "--dir", dir);
    expect(link.stderr).toContain(
      `${manifest}: rubric[8].link: "/modules/databases-and-clients#four-moving-parts": content/04-databases-and-clients.md has no heading with anchor "#four-moving-parts"`,
    );
  });

  it("keeps the committed JSON Schema current", () => {
    const out = flagship("exercises", "schema", "--check");
    expect(out.code).toBe(0);
  });
});
