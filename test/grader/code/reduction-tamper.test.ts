import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import type { GradingResult } from "../../../grader/result";
import { loadExercise, readExerciseFile } from "./helpers";

const failing = (r: GradingResult) => r.tests.filter((t) => t.status === "fail").map((t) => t.id);

/**
 * A solution that tells fault kinds apart where it must not (a pricing timeout charges an eligible
 * customer full price) and otherwise never reads an error's kind, so only the inspection report can
 * tell the reduction to explore the other kinds.
 */
async function kindSpecificBug(): Promise<string> {
  const reference = await readExerciseFile("solution.ts");
  const quiet = reference.replaceAll("${describe(e)}", "failed");
  const buggy = quiet.replace(
    'if (user.firstPurchase) return { status: "retry", reason: `pricing unavailable: failed` };',
    'if (user.firstPurchase && (e as ServiceError).kind !== "timeout") return { status: "retry", reason: "pricing unavailable" };',
  );
  if (buggy === quiet) throw new Error("the reference changed: update this test's replacement");
  return buggy;
}

/**
 * Ways a submission could try to empty the inspection report; each one fooled an earlier harness.
 * Each is attempted so that the solution still works when the harness refuses it (the built-ins and
 * the global object are frozen now), so the full search always sees the bug.
 */
const tampering: Record<string, (source: string) => string> = {
  "silences Set.prototype.add": (source) =>
    source.replace(
      'from "flagship:checkout";\n',
      'from "flagship:checkout";\ntry { Set.prototype.add = function () { return this; }; } catch {}\n',
    ),
  "plants a toJSON that empties the report": (source) =>
    source.replace(
      'from "flagship:checkout";\n',
      'from "flagship:checkout";\ntry { (Object.prototype as any).toJSON = function (this: any) { return this && this.t === "done" ? { ...this, inspected: [] } : this; }; } catch {}\n',
    ),
  "writes its own report to stdout first": forgeReportThrough("g.process?.stdout"),
  "reaches stdout through the global require": forgeReportThrough('g.require?.("process")?.stdout'),
  "reaches stdout through the console's stream": forgeReportThrough("g.console?._stdout"),
  "reaches stdout through a new Console": forgeReportThrough(
    "g.console?.Console && new g.console.Console(g.console._stdout)._stdout",
  ),
  // `node -e` puts every built-in module on the global object, and puts `module` back after its program.
  "writes to the protocol channel through the fs global": forgeReportThrough(
    "g.fs && { write: (line: string) => g.fs.writeSync(3, line) }",
  ),
  "loads fs through the module global": forgeReportThrough(
    'g.module?.createRequire && { write: (line: string) => g.module.createRequire("/x.js")("fs").writeSync(3, line) }',
  ),
};

/** Writes a forged "done" line with an empty inspection report to whatever stream `stream` reaches. */
function forgeReportThrough(stream: string): (source: string) => string {
  return (source) =>
    source.replace("export async function checkout(", "async function realCheckout(").replace(
      'from "flagship:checkout";\n',
      `from "flagship:checkout";
const g = globalThis as any;
let exec = 0;
try { exec = g.__execs = (g.__execs ?? -1) + 1; } catch {}
export async function checkout(req: CheckoutRequest, deps: Deps): Promise<CheckoutResponse> {
  const response = await realCheckout(req, deps);
  try {
    (${stream})?.write(JSON.stringify({ t: "done", exec, ok: true, value: response, inspected: [] }) + "\\n");
  } catch {}
  return response;
}
`,
    );
}

describe("the reduction cannot be fooled by a submission that tampers with the inspection report", () => {
  for (const [how, tamper] of Object.entries(tampering)) {
    it(`finds a kind-specific bug when the submission ${how}`, async () => {
      const exercise = await loadExercise();
      const source = tamper(await kindSpecificBug());
      const full = await gradeCode(exercise, source, { reduce: false, maxExecutionsPerFixture: 5000 });
      const reduced = await gradeCode(exercise, source, { reduce: true });
      expect(failing(full)).toEqual(["pricing-eligible-retry"]);
      expect(failing(reduced)).toEqual(["pricing-eligible-retry"]);
      expect(reduced.score).toBe(full.score);
    }, 240_000);
  }
});
