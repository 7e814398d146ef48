/** `flagship grade <id> <file> --json` reads the file as code for both new kinds (dist/ is built by the global setup). */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function grade(id: string, file: string) {
  const res = spawnSync(process.execPath, ["bin/flagship.js", "grade", id, file, "--json"], { encoding: "utf8" });
  return {
    code: res.status,
    result: JSON.parse(res.stdout) as {
      status: string;
      score: number;
      maxScore: number;
      tests: { id: string; status: string }[];
    },
  };
}

describe("npx flagship grade for the new code kinds", () => {
  it("grades the dark-launch reference with full marks and the starter without the feature", () => {
    const reference = grade("dark-launch-flag", "exercises/dark-launch-flag/solution.ts");
    expect(reference).toMatchObject({ code: 0, result: { status: "graded", score: 20, maxScore: 20 } });
    const starter = grade("dark-launch-flag", "exercises/dark-launch-flag/starter.ts");
    expect(starter.result.tests.filter((t) => t.status === "fail").map((t) => t.id)).toEqual([
      "employees-first",
      "ramp-buckets",
      "ramp-share",
    ]);
  });

  it("grades the functional-tests reference suite with full marks", () => {
    expect(grade("functional-tests", "exercises/functional-tests/solution.ts")).toMatchObject({
      code: 0,
      result: { status: "graded", score: 20, maxScore: 20 },
    });
  });
});
