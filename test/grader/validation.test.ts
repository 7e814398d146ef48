import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatPath, validate } from "../../grader/validation";

describe("formatIssues via validate", () => {
  const schema = z.strictObject({
    points: z.number().positive(),
    title: z.string().min(1).max(5),
    steps: z.array(z.strictObject({ rollback: z.string(), percent: z.number().max(100).optional() })).min(1),
    scoring: z.enum(["best", "last"]),
  });

  it("writes paths and messages a person understands", () => {
    const result = validate(schema, {
      points: -2,
      title: "much too long",
      steps: [{ rollback: "x" }, { percent: 150 }],
      scoring: "worst",
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: "points", message: "expected a positive number" },
        { path: "title", message: "too long: expected at most 5 characters" },
        { path: "steps[1].rollback", message: "required" },
        { path: "steps[1].percent", message: "expected a number of at most 100" },
        { path: "scoring", message: "expected one of: best, last" },
        { path: "extra", message: "unknown field (check the spelling)" },
      ]),
    );
  });

  it("tells a missing value from a wrong type, and an empty list from a short one", () => {
    const result = validate(schema, { points: "3", title: "", steps: [], scoring: "best" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: "points", message: "expected a number" },
      { path: "title", message: "required (must not be empty)" },
      { path: "steps", message: "expected at least 1 item" },
    ]);
  });

  it("keeps messages written on purpose and formats the root", () => {
    const custom = z.string().refine((s) => s.startsWith("/"), "expected a link starting with /");
    const result = validate(custom, "modules");
    expect(result).toEqual({ ok: false, issues: [{ path: "(root)", message: "expected a link starting with /" }] });
    expect(formatPath(["rubric", 3, "points"])).toBe("rubric[3].points");
  });
});
