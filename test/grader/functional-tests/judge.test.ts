/**
 * The judge lives in the grader: assertions are evaluated there, a test that returns normally after a
 * failed assertion still fails, a test with no assertion cannot pass, and hostile or hanging tests are
 * contained by the same sandbox as the checkout exercise while the rest of the suite still counts.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../grader/functional-tests/matchers";
import { gradeFunctionalTests } from "../../../grader/functional-tests/grade";
import { detailsOf, loadExercise, oneTest, readExerciseFile } from "./helpers";

const exercise = await loadExercise();
const fast = { executionTimeoutMs: 300 };

describe("matchers, evaluated in the grader", () => {
  it("follow the usual meanings, negation included", () => {
    expect(evaluate("toEqual", { v: { a: 1 } }, { v: { a: 1 } }, false).pass).toBe(true);
    expect(evaluate("toMatchObject", { v: { a: 1, b: [1, 2] } }, { v: { b: [1, 2] } }, false).pass).toBe(true);
    expect(evaluate("toMatchObject", { v: { a: 1 } }, { v: { a: 2 } }, false).pass).toBe(false);
    expect(evaluate("toHaveLength", { v: [[1]] }, { v: 1 }, false).pass).toBe(true);
    expect(evaluate("toBeUndefined", {}, {}, false).pass).toBe(true);
    expect(evaluate("toBe", { v: "ok" }, { v: "ok" }, true)).toEqual({
      pass: false,
      text: 'expect("ok").not.toBe("ok")',
    });
    expect(evaluate("toPass", { v: 1 }, {}, false)).toMatchObject({
      pass: false,
      text: expect.stringContaining("unknown matcher"),
    });
  });
});

describe("the judge does not take the child's word", () => {
  it("fails a test whose assertion failed even though the test itself returned normally", async () => {
    const result = await gradeFunctionalTests(
      exercise,
      oneTest(
        `  const res = await checkout({ userId: "u", cartId: "c", idempotencyKey: "k" });\n  expect(res.status).toBe("retry");`,
      ),
    );
    expect(detailsOf(result).tests[0]).toMatchObject({ status: "fail", failure: 'expect("ok").toBe("retry")' });
    expect(result.score).toBe(0);
  });

  it("ignores a forged 'done' line: the failed assertion the grader saw still fails the test", async () => {
    const forge = `  const res = await checkout({ userId: "u", cartId: "c", idempotencyKey: "k" });
  expect(res.status).toBe("retry");
  // Claim success for whichever execution this is, straight onto the protocol pipe.
  for (let exec = 0; exec < 20; exec++) g.process.stdout.write(JSON.stringify({ t: "done", exec, ok: true, value: null, inspected: [] }) + "\\n");
  await new Promise(() => undefined);`;
    const result = await gradeFunctionalTests(exercise, oneTest(forge));
    expect(detailsOf(result).tests[0]).toMatchObject({ status: "fail", failure: 'expect("ok").toBe("retry")' });
    expect(result.score).toBe(0);
  });

  it("contains a test that reads files, spawns or reaches the network, and still grades the rest", async () => {
    const hostile = `import { test } from "flagship:testing";
const request = { userId: "u-ada", cartId: "cart-ada", idempotencyKey: "k" };
test("escape", async ({ expect }) => {
  const g = globalThis as any;
  let seen = "nothing";
  try { seen = g.process.getBuiltinModule("fs").readFileSync("/etc/passwd", "utf8"); } catch (e) { seen = "blocked"; }
  try { g.process.getBuiltinModule("child_process").execSync("id"); seen += " spawned"; } catch { seen += " nospawn"; }
  expect(seen).toBe("blocked nospawn");
});
test("flag off keeps full price", async ({ checkout, mocks, flags, expect }) => {
  flags.set("first-purchase-discount", false);
  mocks.users.getUser.returns({ id: "u-ada", email: "a@x", firstPurchase: true });
  mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
  expect(await checkout(request)).toMatchObject({ status: "ok", chargedCents: 10000 });
});`;
    const result = await gradeFunctionalTests(exercise, hostile);
    expect(JSON.stringify(result)).not.toContain("root:x:0:0");
    expect(detailsOf(result).tests.map((t) => t.status)).toEqual(["pass", "pass"]);
    expect(result.tests.find((t) => t.id === "discount-with-flag-off")?.status).toBe("pass");
  });

  it("contains a busy loop and a crash: those tests fail, the others still catch mutants", async () => {
    const source = `import { test } from "flagship:testing";
test("spins", async () => { for (;;) {} });
test("crashes", async () => { const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(7)); });
test("flag on discount", async ({ checkout, mocks, flags, expect }) => {
  flags.set("first-purchase-discount", true);
  mocks.users.getUser.returns({ id: "u", email: "a@x", firstPurchase: true });
  mocks.pricing.getAdjustment.returns({ adjustmentCents: 1000 });
  expect(await checkout({ userId: "u", cartId: "c", idempotencyKey: "k" })).toMatchObject({ chargedCents: 9000 });
});`;
    // Long enough for the memory bomb to reach the engine's memory limit, short for the spin.
    const result = await gradeFunctionalTests(exercise, source, { ...fast, executionTimeoutMs: 2000 });
    expect(result.status).toBe("graded");
    const rows = detailsOf(result).tests;
    expect(rows[0]?.failure).toMatch(/the test kept computing without answering/);
    expect(rows[1]?.failure).toMatch(/out of memory/);
    expect(rows[2]).toMatchObject({ status: "pass", caught: ["flag-on-no-discount"] });
    // The grader is unharmed: the reference suite still gets full marks right after.
    expect((await gradeFunctionalTests(exercise, await readExerciseFile("solution.ts"))).score).toBe(20);
  });

  it("gives a file that fails to load or registers no test a graded zero with the reason", async () => {
    const none = await gradeFunctionalTests(exercise, `import { test } from "flagship:testing";\nvoid test;\n`);
    expect(none.score).toBe(0);
    expect(none.tests[0]?.message).toMatch(/registers no tests/);
    const broken = await gradeFunctionalTests(
      exercise,
      `import { test } from "flagship:testing";\nthrow new Error("boom");\ntest("x", () => {});\n`,
    );
    expect(broken.tests[0]?.message).toMatch(/failed while loading.*boom/);
    const banned = await gradeFunctionalTests(exercise, `import fs from "node:fs";\nvoid fs;\n`);
    expect(banned.tests[0]?.message).toMatch(
      /did not compile: line 1, column \d+: importing node:fs is not allowed; only flagship:testing is available/,
    );
  });
});
