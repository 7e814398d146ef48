import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseGradingResult } from "../../grader/result";
import { detailsSchemaByKind, readResultDetails } from "../../grader/result-details";

const exercisesDir = "exercises";
/** Every golden result the code kinds' graders wrote, with the kind of exercise it belongs to. */
const goldens = readdirSync(exercisesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => {
    const kind = (parse(readFileSync(join(exercisesDir, d.name, "exercise.yaml"), "utf8")) as { kind: string }).kind;
    const samples = join(exercisesDir, d.name, "samples");
    return readdirSync(samples)
      .filter((f) => f.endsWith(".result.json"))
      .map((f) => ({
        kind,
        file: join(samples, f),
        result: parseGradingResult(JSON.parse(readFileSync(join(samples, f), "utf8"))),
      }));
  });

describe("result details: one schema per kind, shared by the graders, the pages and the analytics", () => {
  it("every golden result of a code kind has details its kind's schema accepts; structured ones have none", () => {
    const codeKinds = goldens.filter((g) => g.kind in detailsSchemaByKind);
    expect(new Set(codeKinds.map((g) => g.kind))).toEqual(new Set(Object.keys(detailsSchemaByKind)));
    for (const { kind, file, result } of goldens) {
      if (!(kind in detailsSchemaByKind)) {
        expect(result.details, file).toBeUndefined();
        continue;
      }
      const parsed = detailsSchemaByKind[kind as keyof typeof detailsSchemaByKind].safeParse(result.details);
      expect(
        parsed.success
          ? "ok"
          : `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      ).toBe("ok");
    }
  });

  it("reads what each kind wrote, and nothing from what it did not", () => {
    const first = (kind: string) => goldens.find((g) => g.kind === kind && g.result.status === "graded")!.result;
    const code = readResultDetails(first("code").details);
    expect(code.faultSpace.length).toBeGreaterThan(0);
    expect(code.faultSpace[0]!.rows[0]!.cells.length).toBe(code.faultSpace[0]!.columns.length);
    expect(code.ramp).toEqual([]);
    expect(code.suite).toBeUndefined();

    const ramp = readResultDetails(first("dark-launch").details);
    expect(ramp.ramp.map((r) => r.percent)).toEqual([...ramp.ramp.map((r) => r.percent)].sort((a, b) => a - b));
    expect(ramp.faultSpace).toEqual([]);

    const suite = readResultDetails(first("functional-tests").details).suite;
    expect(suite?.tests.length).toBeGreaterThan(0);
    expect(suite?.mutantsTotal).toBe(suite?.mutants.length);

    expect(readResultDetails({ compileErrors: ["line 1: unexpected token"] }).compileErrors).toEqual([
      "line 1: unexpected token",
    ]);
    // A part of another shape (an older grader, a hand-edited row) is left out, not guessed at.
    expect(readResultDetails({ faultSpace: [{ fixture: 1 }], ramp: "x", tests: [] })).toEqual({
      compileErrors: [],
      faultSpace: [],
      ramp: [],
      suite: undefined,
    });
    expect(readResultDetails(undefined).faultSpace).toEqual([]);
  });
});
