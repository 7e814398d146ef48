/**
 * Depth and size limits before parsing, on every path data text comes in by: the JSON API, the
 * instructor's "try an answer", exercise files and the roster CSV. 125,000 nested brackets once kept
 * the YAML parser busy for 3.5 s; now they are refused with a sentence saying why.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataTextProblem, loadExerciseFolder, parseDataText } from "../../grader/exercises";
import { makeTestApp, tokenFor, type TestApp } from "../helpers/app";
import { agentFor, postForm, type Agent } from "../server/pages/instructor/instructor-helpers";

const N = 125_000;
const brackets = "[".repeat(N) + "]".repeat(N);

describe("the check before parsing", () => {
  const deep: Array<[string, string, "json" | "yaml"]> = [
    ["nested brackets as YAML", brackets, "yaml"],
    ["nested brackets as JSON", brackets, "json"],
    ["nested flow mappings", "{a: ".repeat(N) + "1" + "}".repeat(N), "yaml"],
    ["compact nested sequences", "- ".repeat(N) + "1\n", "yaml"],
    ["explicit keys", "? ".repeat(N) + "x\n", "yaml"],
    ["deep JSON objects", '{"a":'.repeat(N) + "1" + "}".repeat(N), "json"],
  ];
  for (const [what, text, format] of deep) {
    it(`refuses ${what}, naming the limit and the line`, () => {
      expect(dataTextProblem(text, format)).toBe(
        "is nested more than 64 levels deep (at line 1); nothing here needs that many",
      );
    });
  }

  it("counts no bracket inside a string, a quoted scalar or a block scalar", () => {
    const many = "[".repeat(200);
    expect(dataTextProblem(JSON.stringify({ text: many, list: [[1], { a: "]]]" }] }), "json")).toBeUndefined();
    expect(dataTextProblem(`a: "${many}"\nb: '${many}'\nc: don't ${many}\nd: |\n  ${many}\n`, "yaml")).toBeUndefined();
  });

  it("is not fooled by closing brackets hidden in strings", () => {
    const sneaky = '["]",'.repeat(100) + "1" + "]".repeat(100);
    expect(dataTextProblem(sneaky, "json")).toMatch(/nested more than 64 levels/);
    expect(dataTextProblem(sneaky, "yaml")).toMatch(/nested more than 64 levels/);
  });

  it("names the line where the nesting goes too deep", () => {
    expect(dataTextProblem("a: 1\nb: 2\nc: " + "[".repeat(70) + "]".repeat(70), "yaml")).toMatch(/at line 3/);
    expect(dataTextProblem('{\n"a":\n' + "[".repeat(70) + "]".repeat(70) + "}", "json")).toMatch(/at line 3/);
  });

  it("refuses a text over the size limit, saying how large it is", () => {
    expect(dataTextProblem(`x: "${"a".repeat(1100 * 1024)}"`, "yaml")).toMatch(
      /^is 1,101 KB, more than the limit of 1,024 KB$/,
    );
  });

  it("accepts every YAML and JSON file the course ships", () => {
    const files = execFileSync("git", ["ls-files", "exercises", "content", "test"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    const refused = files.filter(
      (f) => dataTextProblem(readFileSync(f, "utf8"), f.endsWith(".json") ? "json" : "yaml") !== undefined,
    );
    expect(refused).toEqual([]);
  });

  it("makes parseDataText answer with an issue for the file", () => {
    const read = parseDataText(brackets, "answer.yaml");
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.issue).toEqual({
        file: "answer.yaml",
        path: "(file)",
        message: "not accepted: it is nested more than 64 levels deep (at line 1); nothing here needs that many",
      });
  });
});

describe("an exercise file", () => {
  it("nested too deep is a load problem of that file, not a blocked server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flagship-deep-"));
    cpSync("exercises/metrics-priority-rides", join(dir, "metrics-priority-rides"), { recursive: true });
    writeFileSync(join(dir, "metrics-priority-rides", "reference.yaml"), brackets);
    const loaded = await loadExerciseFolder(join(dir, "metrics-priority-rides"), "metrics-priority-rides");
    expect(loaded.exercise).toBeUndefined();
    expect(loaded.issues).toContainEqual(
      expect.objectContaining({
        file: expect.stringMatching(/reference\.yaml$/),
        message: expect.stringMatching(/nested more than 64 levels deep/),
      }),
    );
  });
});

describe("over HTTP", () => {
  let t: TestApp;
  let instructor: Agent;
  let student: Agent;
  beforeAll(async () => {
    t = await makeTestApp();
    instructor = (await agentFor(t, "instructor")).agent;
    student = (await agentFor(t, "student")).agent;
  });
  afterAll(() => t.close());

  it("refuses 125,000 nested brackets in the instructor's try box with a message at the field", async () => {
    const page = "/admin/authoring/metrics-priority-rides";
    // As JSON the whole text fits in the body limit; as a form, percent-encoding triples it.
    const json = await instructor
      .post(`${page}/try`)
      .set("Content-Type", "application/json")
      .send({ _csrf: await tokenFor(instructor, page), answerText: brackets });
    const form = await postForm(
      instructor,
      `${page}/try`,
      { answerText: "[".repeat(40_000) + "]".repeat(40_000) },
      page,
    );
    for (const res of [json, form]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain("not accepted: it is nested more than 64 levels deep (at line 1)");
    }
  });

  it("refuses a deeply nested JSON body on the API with 400 and a JSON error", async () => {
    const csrf = (await student.get("/api/session")).body.csrfToken as string;
    const res = await student
      .post("/api/exercises/metrics-priority-rides/submissions")
      .set("X-CSRF-Token", csrf)
      .set("Content-Type", "application/json")
      .send(`{"answer": ${brackets}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: "too_deep",
      message: "The request body is nested more than 64 levels deep (at line 1); no answer needs that many.",
      issues: [],
    });
    expect(t.db.prepare("SELECT count(*) FROM submissions").pluck().get()).toBe(0);
  });

  it("refuses a roster with more rows than one import takes, adding nobody", async () => {
    const rows = [
      "email,name,role",
      ...Array.from({ length: 2001 }, (_, i) => `p${i}@example.edu,P ${i},student`),
    ].join("\n");
    const res = await postForm(instructor, "/admin/users/import", { csv: rows }, "/admin/users");
    expect(res.status).toBe(400);
    expect(res.text).toContain("The file has 2,001 rows, more than 2,000 at a time.");
    expect(t.db.prepare("SELECT count(*) FROM users WHERE email LIKE 'p%@example.edu'").pluck().get()).toBe(0);
  });
});
