import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import { detectSandboxMode } from "../../../grader/sandbox/modes";
import { loadExercise, readExerciseFile } from "../code/helpers";

const exercise = await loadExercise();

describe("compiling a submission", () => {
  it("reports a forbidden import with its line, as feedback that is not an attempt", async () => {
    const result = await gradeCode(
      exercise,
      `import { ServiceError } from "flagship:checkout";\n\nimport fs from "node:fs";\nexport async function checkout() { return fs; }\n`,
    );
    expect(result.status).toBe("compile_error");
    expect(result.score).toBe(0);
    expect(result.error).toMatch(
      /line 3, column \d+: importing node:fs is not allowed; only flagship:checkout is available/,
    );
    expect(result.tests[0]?.message).toMatch(
      /line 3, column \d+: importing node:fs is not allowed; only flagship:checkout is available/,
    );
    expect(result.executions).toBe(0);
  });

  it("rejects require and dynamic import", async () => {
    const req = await gradeCode(
      exercise,
      `const cp = require("child_process");\nexport async function checkout() { return cp; }`,
    );
    expect(req.tests[0]?.message).toMatch(/line 1, column \d+: importing child_process is not allowed/);
    const dyn = await gradeCode(
      exercise,
      `export async function checkout(req: { userId: string }) {\n  return import(req.userId);\n}`,
    );
    expect(dyn.tests[0]?.message).toMatch(/line 2, column \d+: .*import/);
  });

  it("reports syntax errors with line and column", async () => {
    const result = await gradeCode(exercise, `export async function checkout() {\n  return { status: "ok" ;\n}`);
    expect(result.status).toBe("compile_error");
    expect(result.score).toBe(0);
    expect(result.tests[0]?.message).toMatch(
      /Your code did not compile: line 2, column \d+: Expected "}" but found ";"/,
    );
  });

  it("answers a module without checkout with a no-crash failure, not an exception", async () => {
    const result = await gradeCode(exercise, `export const nothing = 1;`);
    expect(result.status).toBe("graded");
    expect(result.tests.find((t) => t.id === "no-crash")?.message).toMatch(/does not export a checkout function/);
  });

  it("rejects invalid options with a message naming the field", async () => {
    const result = await gradeCode(exercise, await readExerciseFile("solution.ts"), { executionTimeoutMs: -5 });
    expect(result.status).toBe("error");
    expect(result.error).toMatch(/executionTimeoutMs/);
  });

  it("refuses to run code without a sandbox unless the operator opts in", async () => {
    expect(process.env["FLAGSHIP_UNSAFE_SANDBOX"]).toBeUndefined();
    expect(detectSandboxMode({ force: "unsafe" })).toMatchObject({
      error: expect.stringMatching(/Refusing to run submitted code.*FLAGSHIP_UNSAFE_SANDBOX=1/),
    });
    const refused = await gradeCode(exercise, await readExerciseFile("solution.ts"), { sandboxMode: "unsafe" });
    // Not the student's doing: the server's, to fix; the submission waits to be graded again.
    expect(refused.status).toBe("infrastructure_error");
    expect(refused.error).toMatch(/FLAGSHIP_UNSAFE_SANDBOX=1/);
    const allowed = await gradeCode(exercise, await readExerciseFile("solution.ts"), {
      sandboxMode: "unsafe",
      allowUnsafeSandbox: true,
    });
    expect(allowed.score).toBe(allowed.maxScore);
    expect(allowed.details).toMatchObject({ sandbox: "unsafe" });
  });
});
