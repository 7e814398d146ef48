/**
 * The functional-tests grader on its second subject, the home-page API gateway (gateway-fallbacks), on
 * the real sandbox: the reference failure mocks catch every broken fallback, the golden samples get
 * exactly their stored results, the gateway's own module is the only import, and a mock that breaks a
 * downstream's contract is refused by name. The declared types of both subjects check the references.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { typecheckSubmission } from "../../../grader/sandbox/typecheck";
import { gradeFunctionalTests, type FunctionalTestsExercise } from "../../../grader/functional-tests/grade";
import { GATEWAY_MUTANT_IDS } from "../../../grader/functional-tests/gateway-service";
import type { FunctionalTestsBody } from "../../../grader/functional-tests/kind";
import { declaredModuleFor } from "../../../server/queue/declared-types";
import { codeSamples, failing, loadExerciseFiles, readExerciseText } from "../../helpers/exercise-folder";
import { detailsOf } from "./helpers";

const ID = "gateway-fallbacks";
const loaded = await loadExerciseFiles<FunctionalTestsBody>(ID);
const exercise: FunctionalTestsExercise = { id: loaded.id, oracle: loaded.body.oracle };
const samples = await codeSamples(ID);
const solution = await readExerciseText(ID, "solution.ts");

describe("the gateway-fallbacks exercise", () => {
  it("gives the reference failure mocks full marks: they pass against the gateway and catch every broken fallback", async () => {
    const result = await gradeFunctionalTests(exercise, solution);
    expect(result.status).toBe("graded");
    expect(result.score).toBe(18);
    const details = detailsOf(result);
    expect(details.mutantsCaught).toBe(GATEWAY_MUTANT_IDS.length);
    expect(details.tests).toHaveLength(9);
    expect(details.tests.every((t) => t.status === "pass" && t.assertions > 0 && t.checkouts === 1)).toBe(true);
    // One listing, then every test against the reference and each of the 7 mutants.
    expect(result.executions).toBe(1 + 9 * 8);
    const timeout = result.tests.find((t) => t.id === "recommendations-timeout-fails-page");
    expect(timeout?.message).toMatch(
      /^Caught by "recommendations, soft: an empty row > the page loads without recommendations when the call fails \(timeout\)"/,
    );
  });

  for (const sample of samples) {
    it(`${sample.name}: fails exactly [${sample.failing.join(", ")}] and matches its golden result`, async () => {
      const result = await gradeFunctionalTests(exercise, sample.answer);
      expect(result.status).toBe("graded");
      expect(failing(result)).toEqual([...sample.failing].sort());
      expect(JSON.parse(JSON.stringify(result))).toEqual(sample.golden);
    });
  }

  it("names the contract a mock breaks, in the failing test's own words", async () => {
    const sample = samples.find((s) => s.name === "mock-breaks-contract");
    const result = await gradeFunctionalTests(exercise, sample?.answer ?? "");
    const reference = result.tests.find((t) => t.id === "reference-passes");
    expect(reference?.message).toContain(
      "mocks.recommendations.getForUser.returns(...) does not follow the recommendations.getForUser contract",
    );
    expect(reference?.message).toContain("against the correct gateway");
  });

  it("lets a gateway test file import only the gateway's module", async () => {
    const checkoutImport = solution.replace('from "flagship:gateway-testing"', 'from "flagship:testing"');
    const result = await gradeFunctionalTests(exercise, checkoutImport);
    expect(result.status).toBe("compile_error");
    expect(JSON.stringify(result)).toContain("flagship:gateway-testing");
  });

  it("tells a file with no tests how to write one with the gateway's entry point", async () => {
    const result = await gradeFunctionalTests(exercise, 'import { test } from "flagship:gateway-testing";\n');
    expect(result.tests[0]?.message).toBe(
      "Your file registers no tests: call test(name, async ({ home, mocks, expect }) => { ... }) at the top level.",
    );
  });
});

describe("the declared types of the functional-tests kind", () => {
  it("check both subjects' reference files without a warning, and name a misspelled mock", () => {
    const declared = declaredModuleFor("functional-tests");
    if (!declared) throw new Error("functional-tests declares no module");
    expect(typecheckSubmission(solution, declared)).toEqual([]);
    expect(typecheckSubmission(readFileSync("exercises/functional-tests/solution.ts", "utf8"), declared)).toEqual([]);
    const typo = solution.replace(
      'mocks.promotions.getBanner.fails("timeout")',
      'mocks.promotions.getBaner.fails("timeout")',
    );
    expect(typecheckSubmission(typo, declared)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("getBaner") }),
    ]);
  });
});
