/**
 * Type warnings against each code kind's declared module (grader/sandbox/typecheck.ts): the reference
 * answers are clean, a missing response field is named as such with its line and column, syntax
 * errors are left to the compile error, strange input never throws, and the list is capped.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_WARNINGS, typecheckSubmission, type DeclaredModule } from "../../../grader/sandbox/typecheck";

const declared = (moduleName: string, file: string): DeclaredModule => ({
  moduleName,
  dts: readFileSync(file, "utf8"),
});
const checkout = declared("flagship:checkout", "grader/code/flagship-checkout.d.ts");
const rides = declared("flagship:rides", "grader/dark-launch/flagship-rides.d.ts");
const testing = declared("flagship:testing", "grader/functional-tests/flagship-testing.d.ts");
const checkoutReference = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");

describe("type warnings", () => {
  it("finds nothing wrong with the reference answers and starters of the three kinds", () => {
    for (const [dir, module] of [
      ["checkout-fallbacks", checkout],
      ["dark-launch-flag", rides],
      ["functional-tests", testing],
    ] as const) {
      for (const file of ["solution.ts", "starter.ts"]) {
        expect(typecheckSubmission(readFileSync(`exercises/${dir}/${file}`, "utf8"), module), `${dir}/${file}`).toEqual(
          [],
        );
      }
    }
  });

  it("names a missing response field, with the line and column where the response is built", () => {
    const original = '{ status: "retry", reason: `pricing unavailable: ${describe(e)}` }';
    expect(checkoutReference).toContain(original);
    const source = checkoutReference.replace(original, '{ status: "retry" }');
    const line = source.split("\n").findIndex((l) => l.includes('{ status: "retry" }')) + 1;
    const warnings = typecheckSubmission(source, checkout);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line, column: expect.any(Number) });
    expect(warnings[0]!.message).toContain("Property 'reason' is missing in type '{ status: \"retry\"; }'");
    expect(source.split("\n")[line - 1]!.slice(warnings[0]!.column - 1)).toMatch(/^return \{ status: "retry" \}/);
  });

  it("checks code against the module the kind declares: a misspelt export of flagship:rides is named", () => {
    const source = readFileSync("exercises/dark-launch-flag/solution.ts", "utf8").replace(
      /from "flagship:rides"/,
      'from "flagship:ridez"',
    );
    const messages = typecheckSubmission(source, rides).map((w) => w.message);
    expect(messages.some((m) => m.includes("flagship:ridez"))).toBe(true);
  });

  it("leaves syntax errors to the compile error, and never throws on strange input", () => {
    expect(typecheckSubmission("export async function checkout( {", checkout)).toEqual([]);
    for (const odd of [
      "",
      "\u0000\u0000",
      "}".repeat(5000),
      "/*".repeat(1000),
      "export default 1;\n".repeat(2000),
      "type T<X> = T<T<X>>; const t: T<1> = 1;",
    ]) {
      expect(() => typecheckSubmission(odd, checkout)).not.toThrow();
      expect(Array.isArray(typecheckSubmission(odd, checkout))).toBe(true);
    }
    expect(
      typecheckSubmission("const x: number = 1;", { moduleName: "flagship:checkout", dts: "declare module {{{" }),
    ).toEqual(expect.any(Array));
  });

  it("caps the list and says how many more there were", () => {
    const source = Array.from({ length: 50 }, (_, i) => `const v${i}: number = "not a number";`).join("\n");
    const warnings = typecheckSubmission(source, checkout);
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings[0]).toEqual({ line: 1, column: 7, message: "Type 'string' is not assignable to type 'number'." });
    expect(warnings[MAX_WARNINGS]).toEqual({
      line: MAX_WARNINGS + 1,
      column: 7,
      message: `…and ${50 - MAX_WARNINGS} more type warnings from here on, not shown.`,
    });
  });
});
