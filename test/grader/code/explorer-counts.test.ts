import { describe, expect, it } from "vitest";
import { gradeCode } from "../../../grader/code/grade";
import { executionsPerFixture, loadExercise, readExerciseFile } from "./helpers";

describe("fault-space exploration of the reference solution", () => {
  it("runs exactly 25 + 33 executions with four fault kinds and no reduction", async () => {
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, await readExerciseFile("solution.ts"), { reduce: false });
    expect(result.status).toBe("graded");
    expect(result.score).toBe(result.maxScore);
    // first purchase: 1 + 6 calls x 4 kinds (every fault ends the run or is the last call);
    // returning: 1 + 4 x (user, cart, charge) + 4 x (1 + 4 charge faults) after a pricing fallback.
    expect(executionsPerFixture(result)).toEqual({ "first-purchase": 25, returning: 33 });
    expect(result.executions).toBe(58);
  });

  it("records each execution as a row of the fault-space table", async () => {
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, await readExerciseFile("solution.ts"), { reduce: false });
    const details = result.details as {
      faultSpace: { fixture: string; columns: string[]; rows: { cells: string[]; failing: string[] }[] }[];
    };
    const returning = details.faultSpace.find((t) => t.fixture === "returning");
    expect(returning?.columns).toEqual([
      "users.getUser#1",
      "carts.getCart#1",
      "pricing.getAdjustment#1",
      "payments.charge#1",
    ]);
    expect(returning?.rows[0]).toMatchObject({ cells: ["ok", "ok", "ok", "ok"], failing: [] });
    expect(returning?.rows.some((r) => r.cells.join() === "ok,ok,timeout,internal")).toBe(true);
    expect(returning?.rows.some((r) => r.cells.join() === "unavailable,-,-,-")).toBe(true);
  });

  it("explores a solution that retries each read once within bounds and gives it full marks", async () => {
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, await readExerciseFile("solution-retry-reads.ts"));
    expect(result.status).toBe("graded");
    expect(result.score).toBe(result.maxScore);
    // Retries are new call identities that can fail on their own.
    expect(result.executions).toBeGreaterThan(58);
  });

  it("turns an exhausted execution bound into an error result, never a pass", async () => {
    const exercise = await loadExercise();
    const result = await gradeCode(exercise, await readExerciseFile("solution.ts"), {
      reduce: false,
      maxExecutionsPerFixture: 10,
    });
    expect(result.status).toBe("error");
    expect(result.score).toBe(0);
    expect(result.error).toMatch(/Exploration incomplete for fixture first-purchase: more than 10 executions/);
  });
});
