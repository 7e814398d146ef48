import { describe, expect, it } from "vitest";
import { fieldId, fieldLabel } from "../../../grader/exercises";
import type { AnswerShape } from "../../../grader/exercises/shape";

const shape: AnswerShape = {
  fields: [
    { key: "plan", type: "group", label: "Plan", fields: [{ key: "owner", type: "text", label: "Owner" }] },
    {
      key: "steps",
      type: "list",
      label: "Steps",
      itemLabel: "Step",
      maxItems: 5,
      fields: [{ key: "action", type: "text", label: "Action" }],
    },
    { key: "notes", type: "list", label: "Notes", maxItems: 5, fields: [{ key: "text", type: "text", label: "Text" }] },
  ],
};

describe("field labels for form errors", () => {
  it("names a field as the form shows it, counting list items from 1", () => {
    expect(fieldLabel(shape, "steps[4].action")).toBe("Step 5 › Action");
    expect(fieldLabel(shape, "plan.owner")).toBe("Plan › Owner");
    expect(fieldLabel(shape, "notes[0].text")).toBe("Notes 1 › Text");
    expect(fieldLabel(shape, "steps")).toBe("Steps");
    expect(fieldId("steps[4].action")).toBe("f-steps-4-action");
  });

  it("falls back to the path for anything outside the shape", () => {
    expect(fieldLabel(shape, "bogus[1]")).toBe("bogus[1]");
    expect(fieldLabel(shape, "plan[2]")).toBe("plan[2]");
    expect(fieldLabel(shape, "(root)")).toBe("(root)");
  });
});
