import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";

function flagship(...args: string[]) {
  const res = spawnSync(process.execPath, ["bin/flagship.js", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("npx flagship grade <code exercise> --json", () => {
  it("grades the reference through the sandbox with executions counted", () => {
    const out = flagship("grade", "checkout-fallbacks", "exercises/checkout-fallbacks/solution.ts", "--json");
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.status).toBe("graded");
    expect(result.score).toBe(result.maxScore);
    expect(result.executions).toBeGreaterThan(0);
  });

  it("gives each failing rule a counterexample", () => {
    const dir = mkdtempSync(join(tmpdir(), "flagship-cli-code-"));
    const sample = parseYaml(
      readFileSync("exercises/checkout-fallbacks/samples/pricing-blocks-ineligible.yaml", "utf8"),
    ) as { answer: string };
    const file = join(dir, "mine.ts");
    writeFileSync(file, sample.answer);
    const out = flagship("grade", "checkout-fallbacks", file, "--json");
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    const failing = result.tests.filter((t: { status: string }) => t.status === "fail");
    expect(failing.map((t: { id: string }) => t.id)).toContain("pricing-fallback");
    for (const test of failing) expect(test.counterexample.faults).toBeInstanceOf(Array);
  });

  it("reports a syntax error with line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "flagship-cli-code-"));
    const file = join(dir, "broken.ts");
    writeFileSync(file, "export async function checkout(req, deps) {\n  return { status: 'ok' \n}\n");
    const out = flagship("grade", "checkout-fallbacks", file, "--json");
    expect(out.code).toBe(1);
    const result = JSON.parse(out.stdout);
    expect(result.status).toBe("compile_error");
    expect(result.score).toBe(0);
    expect(result.details.compileErrors[0]).toMatch(/^line 4, column 1: /);
  });
});
