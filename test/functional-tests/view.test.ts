/**
 * The result page's details partial shows what these graders put in `details`: the student's own
 * test results with the failing assertion and the mutants caught or missed (functional-tests), and
 * the ramp table (dark-launch). Rendered from the stored golden results, so no sandbox is needed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ejs from "ejs";
import { describe, expect, it } from "vitest";
import { parseGradingResult } from "../../grader/result";

const view = join(import.meta.dirname, "../../views/exercises/result.ejs");
const golden = (path: string) => parseGradingResult(JSON.parse(readFileSync(join(import.meta.dirname, "../../exercises", path), "utf8")));

describe("the details partial on the result page", () => {
  it("lists the student's tests against the correct service, with the failing assertion, and each mutant caught or missed", async () => {
    const html = await ejs.renderFile(view, { result: golden("functional-tests/samples/wrong-expectation.result.json") });
    expect(html).toContain("Your tests against the correct service");
    expect(html).toContain("flag on &gt; a first purchase pays full price when pricing is down");
    expect(html).toContain("✗ failed: <code>expect({&#34;status&#34;:&#34;retry&#34;");
    expect(html).toContain("7 of 8 broken copies of the service caught.");
    expect(html).toContain("✗ missed: a service where a first-time customer is charged full price when pricing fails");
  });

  it("shows the ramp table for a dark-launch result", async () => {
    const html = await ejs.renderFile(view, { result: golden("dark-launch-flag/samples/percent-as-fraction.result.json") });
    expect(html).toContain("Your ramp");
    expect(html).toMatch(/<th scope="row">10%<\/th><td>1 of 100<\/td>/);
  });
});
