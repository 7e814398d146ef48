import { describe, expect, it } from "vitest";
import {
  answerSchemaFor,
  coerceFormAnswer,
  emptyAnswer,
  formFieldName,
  validate,
} from "../../../grader/exercises/index";
import type { AnswerShape } from "../../../grader/exercises/index";

const shape: AnswerShape = {
  fields: [
    { key: "title", type: "text", label: "Title", maxLength: 20 },
    { key: "notes", type: "longtext", label: "Notes", required: false },
    { key: "size", type: "number", label: "Size", min: 1, max: 10, integer: true },
    {
      key: "mode",
      type: "choice",
      label: "Mode",
      options: [
        { value: "a", label: "A" },
        { value: "b", label: "B" },
      ],
    },
    {
      key: "tags",
      type: "multichoice",
      label: "Tags",
      minSelected: 0,
      options: [
        { value: "x", label: "X" },
        { value: "y", label: "Y" },
      ],
    },
    { key: "owner", type: "group", label: "Owner", fields: [{ key: "name", type: "text", label: "Name" }] },
    {
      key: "steps",
      type: "list",
      label: "Steps",
      minItems: 1,
      maxItems: 3,
      orderable: true,
      fields: [
        {
          key: "action",
          type: "choice",
          label: "Action",
          options: [
            { value: "ramp", label: "Ramp" },
            { value: "dark", label: "Dark" },
          ],
        },
        { key: "percent", type: "number", label: "Percent", required: false, min: 0, max: 100 },
        {
          key: "checks",
          type: "multichoice",
          label: "Checks",
          minSelected: 0,
          options: [
            { value: "p", label: "P" },
            { value: "n", label: "N" },
          ],
        },
      ],
    },
  ],
};

describe("answer shapes", () => {
  it("rebuilds a posted form: strings to numbers, numeric-key objects to ordered lists, missing checkboxes to empty lists, blank rows dropped", () => {
    // What express urlencoded({ extended: true }) gives for answer[...] inputs, including qs's object form for long lists.
    const body = {
      title: "  Launch  ",
      notes: "line one\r\nline two",
      size: "4",
      mode: "b",
      owner: { name: "Ada" },
      steps: {
        "10": { action: "ramp", percent: "100", checks: ["p", "n"] },
        "2": { action: "dark", percent: "" },
        "3": { action: "", percent: "" },
      },
    };
    const answer = coerceFormAnswer(shape, body);
    expect(answer).toEqual({
      title: "  Launch  ",
      notes: "line one\nline two",
      size: 4,
      mode: "b",
      tags: [],
      owner: { name: "Ada" },
      steps: [
        { action: "dark", checks: [] },
        { action: "ramp", percent: 100, checks: ["p", "n"] },
      ],
    });
    const checked = validate(answerSchemaFor(shape), answer);
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.data.title).toBe("Launch");
  });

  it("reports what is wrong with a form at the field's path", () => {
    const answer = coerceFormAnswer(shape, {
      title: "",
      size: "four",
      mode: "c",
      steps: { "0": { action: "ramp", percent: "250" } },
    });
    const checked = validate(answerSchemaFor(shape), answer);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues).toEqual([
      { path: "title", message: "required" },
      { path: "size", message: "expected a number" },
      { path: "mode", message: "expected one of: a, b" },
      { path: "owner.name", message: "required" },
      { path: "steps[0].percent", message: "expected a number of at most 100" },
    ]);
  });

  it("rejects oversized input and too many items", () => {
    const answer = {
      title: "x".repeat(21),
      size: 2,
      mode: "a",
      tags: [],
      owner: { name: "n" },
      steps: Array.from({ length: 4 }, () => ({ action: "ramp", checks: [] })),
    };
    const checked = validate(answerSchemaFor(shape), answer);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues).toEqual([
      { path: "title", message: "too long: expected at most 20 characters" },
      { path: "steps", message: "too many items: expected at most 3" },
    ]);
    const hugeNotes = validate(answerSchemaFor(shape), { ...answer, title: "ok", steps: [], notes: "y".repeat(5000) });
    expect(hugeNotes.ok).toBe(false);
  });

  it("gives a blank form with the minimum rows, and names inputs the way the form posts them", () => {
    expect(emptyAnswer(shape)).toEqual({
      title: "",
      notes: "",
      size: null,
      mode: "",
      tags: [],
      owner: { name: "" },
      steps: [{ action: "", percent: null, checks: [] }],
    });
    expect(formFieldName(["steps", 0, "action"])).toBe("answer[steps][0][action]");
  });
});
