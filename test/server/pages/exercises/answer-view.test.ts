/**
 * The answer as submitted, on the student's and the TA's submission pages: named as the form names
 * it, options by their labels, list items numbered as the feedback counts them; and on the TA page
 * beside the grading controls, with a word when a manual item is capped by the maximum.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "../../../helpers/app";
import { person, post, referenceAnswer, submit } from "../../review/review-helpers";
import { encodeForm, toFormFields } from "../../../helpers/forms";
import { tokenFor } from "../../../helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

/** The text of the page's "as submitted" section, tags stripped. */
function answerSection(html: string): string {
  const start = html.indexOf('id="answer-heading"');
  expect(start).toBeGreaterThan(0);
  const end = html.indexOf("</section>", start);
  return html
    .slice(start, end)
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

describe("the answer as submitted", () => {
  it("is on the student's submission page, with the item numbers the feedback uses and option labels", async () => {
    const student = await person(t);
    const sample = (
      parseYaml(readFileSync("exercises/rollout-plan/samples/careful-but-incomplete.yaml", "utf8")) as {
        answer: { steps: unknown[] };
      }
    ).answer;
    const res = await student.agent
      .post("/exercises/rollout-plan/submissions")
      .type("form")
      .send(encodeForm({ _csrf: await tokenFor(student.agent, "/exercises/rollout-plan"), ...toFormFields(sample) }));
    expect(res.status).toBe(303);
    const page = await student.agent.get(res.headers.location!);
    const answer = answerSection(page.text);
    expect(page.text).toContain("Your answer as submitted");
    // Every "Step n" the feedback names is a step the student can find, named as the form names it.
    const feedback = page.text.slice(0, page.text.indexOf('id="answer-heading"'));
    const cited = new Set([...feedback.matchAll(/\bStep (\d+)\b/g)].map((m) => Number(m[1])));
    expect(cited.size).toBeGreaterThan(0);
    const named = (n: number) => new RegExp(`\\bStep ${n}\\b`);
    for (const n of cited) expect(answer).toMatch(named(n));
    expect(answer).toMatch(named(sample.steps.length));
    expect(answer).not.toMatch(named(sample.steps.length + 1));
    expect(page.text).not.toMatch(/Item #\d/);
    expect(answer).toContain("Contract the schema: drop the pickup_time column");
    expect(answer).toContain("Restore the dropped column from the backup taken before the step");
    expect(answer).not.toMatch(/\bschema-contract\b|\brestore-backup\b/);
    // The lecture links under each rule name their rule, so a list of links is not a row of twins.
    const linkNames = [
      ...page.text.matchAll(/>Read the lecture section on this<span class="visually-hidden">: ([^<]+)<\/span>/g),
    ].map((m) => m[1]);
    expect(linkNames.length).toBeGreaterThan(2);
    expect(new Set(linkNames).size).toBe(linkNames.length);
  });

  it("sits before the grading controls on the TA's page, in labels, and says when a manual item is capped", async () => {
    const student = await person(t);
    const id = await submit(student.agent, await referenceAnswer());
    const ta = await person(t, "ta");
    const before = await ta.agent.get(`/staff/submissions/${id}`);
    expect(before.text.indexOf('id="answer-heading"')).toBeLessThan(before.text.indexOf('id="manual-heading"'));
    const answer = answerSection(before.text);
    expect(answer).toContain("Hard: the purchase cannot go on without it");
    expect(answer).not.toMatch(/\bhard\b/);
    // Each "Apply" button and comment field names its item for a screen reader.
    const applyNames = [
      ...before.text.matchAll(/<button type="submit">(Apply [^<]*<span class="visually-hidden">[^<]*)<\/span>/g),
    ].map((m) => m[1]);
    expect(applyNames.length).toBeGreaterThan(1);
    expect(new Set(applyNames).size).toBe(applyNames.length);
    const commentLabels = [...before.text.matchAll(/<label for="apply-comment-[^"]+">([^]*?)<\/label>/g)].map(
      (m) => m[1],
    );
    expect(new Set(commentLabels).size).toBe(commentLabels.length);
    expect(before.text).not.toContain("is capped");

    // The reference earns full marks, so a +1 item changes nothing, and the page says why.
    expect(
      (await post(ta.agent, `/staff/submissions/${id}/items`, { itemId: "rationale-email-soft", comment: "" })).status,
    ).toBe(303);
    const after = await ta.agent.get(`/staff/submissions/${id}`);
    expect(after.text).toContain(
      "Manual +1 is capped: 17 +1 = 18, but the score stays between 0 and 17, so the final score is 17.",
    );
  });
});
