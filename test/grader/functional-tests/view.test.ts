/**
 * The result page. Its details partial shows what these graders put in `details`: the student's own
 * test results with the failing assertion and the mutants caught or missed (functional-tests), and
 * the ramp table (dark-launch), rendered from the stored golden results, so no sandbox is needed. A
 * grading that stopped early shows only the problems it had already found.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ejs from "ejs";
import { describe, expect, it } from "vitest";
import { parseGradingResult } from "../../../grader/result";
import { viewHelpers } from "../../../server/http/view-helpers";

const view = join(import.meta.dirname, "../../../views/exercises/result.ejs");
/** What the app puts in every view's locals (server/app.ts). */
const helpers = viewHelpers({ imageHosts: [] });
const golden = (path: string) =>
  parseGradingResult(JSON.parse(readFileSync(join(import.meta.dirname, "../../../exercises", path), "utf8")));

describe("the details partial on the result page", () => {
  it("lists the student's tests against the correct service, with the failing assertion, and each mutant caught or missed", async () => {
    const html = await ejs.renderFile(view, {
      helpers,
      result: golden("functional-tests/samples/wrong-expectation.result.json"),
    });
    expect(html).toContain("Your tests against the correct service");
    expect(html).toContain("flag on &gt; a first purchase pays full price when pricing is down");
    expect(html).toContain("✗ failed: <code>expect({&#34;status&#34;:&#34;retry&#34;");
    expect(html).toContain("7 of 8 broken copies of the service caught.");
    expect(html).toContain("✗ missed: a service where a first-time customer is charged full price when pricing fails");
  });

  it("lists only the problems a grading that stopped early had already shown, without points", async () => {
    const found = {
      id: "charge-amount",
      name: "The charge matches the cart",
      status: "fail" as const,
      points: 0,
      maxPoints: 2,
      message: "charged 10000, expected 9000",
      counterexample: { faults: [] },
    };
    const unreached = {
      id: "email-soft",
      name: "The discount email is a soft dependency",
      status: "fail" as const,
      points: 0,
      maxPoints: 2,
      message: "No execution reached the situation this rule is about.",
    };
    const passed = {
      id: "no-crash",
      name: "The handler always answers",
      status: "pass" as const,
      points: 2,
      maxPoints: 2,
      message: "Every execution settled.",
    };
    const result = {
      status: "error" as const,
      score: 0,
      maxScore: 6,
      error: "Exploration incomplete: the time limit ran out. No grade is given rather than a partial one.",
      tests: [found, unreached, passed],
    };
    const html = await ejs.renderFile(view, { helpers, result });
    expect(html).toContain("This submission could not be graded");
    expect(html).toContain("Before it stopped, the grader had already found this problem (not a grade):");
    expect(html).toContain("The charge matches the cart");
    expect(html).not.toContain("The discount email is a soft dependency");
    expect(html).not.toContain("The handler always answers");
    expect(html).not.toContain("0 / 2");
  });

  it("shows the ramp table for a dark-launch result", async () => {
    const html = await ejs.renderFile(view, {
      helpers,
      result: golden("dark-launch-flag/samples/percent-as-fraction.result.json"),
    });
    expect(html).toContain("Your ramp");
    expect(html).toMatch(/<th scope="row">10%<\/th><td>1 of 100<\/td>/);
  });

  it("names the mutants a test caught by their behaviour, never by raw id", async () => {
    const html = await ejs.renderFile(view, {
      helpers,
      result: golden("functional-tests/samples/flag-on-only.result.json"),
    });
    expect(html).toContain("<li>the flag is on but first purchases still pay full price</li>");
    expect(html).not.toMatch(/<td>[^<]*flag-on-no-discount/);
    expect(html).not.toContain(">flag-on-no-discount<");
  });

  it("tells a ramp counterexample as a table: the same rider asked at each percentage, or the share offered beside the share asked for", async () => {
    const sticky = await ejs.renderFile(view, {
      helpers,
      result: golden("dark-launch-flag/samples/random-ramp.result.json"),
    });
    expect(sticky).toContain("<p>Rider <code>r-1266</code> (bucket 1), asked again as the ramp changes:</p>");
    expect(sticky).toContain(
      '<tr><th scope="row">1</th><td>10%</td><td>no</td></tr><tr><th scope="row">2</th><td>10%</td><td>yes</td></tr>',
    );
    const share = await ejs.renderFile(view, {
      helpers,
      result: golden("dark-launch-flag/samples/percent-as-fraction.result.json"),
    });
    expect(share).toContain('<tr><th scope="row">10%</th><td>100</td><td>1</td><td>10 (± 5 points)</td></tr>');
    for (const html of [sticky, share]) expect(html).toContain("<summary>Raw JSON (to replay this run)</summary>");
  });

  it("tells a dark-launch request with the flag on for employees, and a test that never finished, without raw JSON outside the toggle", async () => {
    const employees = await ejs.renderFile(view, {
      helpers,
      result: golden("dark-launch-flag/samples/forgets-employees-in-ramp.result.json"),
    });
    expect(employees).toMatch(
      /flag <strong>(ramped to 0%|on for employees only)<\/strong>: this rider is inside the flag\./,
    );
    expect(employees).toContain("<dt>The legacy handler</dt>");
    const hangs = await ejs.renderFile(view, { helpers, result: golden("functional-tests/samples/hangs.result.json") });
    expect(hangs).toContain("It made no assertion before it stopped.");
    expect(hangs).toContain("<dt>Why it fails</dt><dd><code>the test never finished (it waits on nothing)</code></dd>");
    // Outside the raw toggles no counterexample is printed as JSON.
    const outside = hangs.replace(/<details class="counterexample-raw">[\s\S]*?<\/details>/g, "");
    expect(outside).not.toContain("&#34;assertions&#34;");
  });

  it("tells a checkout counterexample as a timeline, names rules in the fault table, and keeps the raw JSON behind a toggle", async () => {
    const html = await ejs.renderFile(view, {
      helpers,
      result: golden("checkout-fallbacks/samples/eligible-full-price.result.json"),
    });
    // The fault table's verdict names the rule, not its id.
    expect(html).toContain("✗ An eligible customer is asked to retry when pricing fails</summary>");
    expect(html).not.toContain("✗ pricing-eligible-retry");
    // Each call in order, the fault injected, the answer given and the one expected.
    expect(html).toContain("<code>pricing.getAdjustment#1(u-ada, 10000)</code>");
    expect(html).toContain("<strong>failed: unavailable (injected)</strong>");
    expect(html).toMatch(/<dt>Your answer<\/dt><dd><code>\{&#34;status&#34;:&#34;ok&#34;,&#34;chargedCents&#34;:10000/);
    expect(html).toContain("<dt>Expected</dt><dd><code>retry</code></dd>");
    expect(html).toContain("<summary>Raw JSON (to replay this run)</summary>");
  });
});
