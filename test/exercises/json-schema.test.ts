import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exerciseJsonSchemaText } from "../../grader/exercises/index";

describe("exercises/exercise.schema.json", () => {
  it("is up to date with the zod schemas (run `npx flagship exercises schema` after changing them)", async () => {
    expect(readFileSync("exercises/exercise.schema.json", "utf8")).toBe(await exerciseJsonSchemaText());
  });

  it("is referenced from every exercise manifest for editor completion", async () => {
    const { loadExercises } = await import("../../grader/exercises/index");
    const { exercises } = await loadExercises("exercises");
    for (const e of exercises) {
      expect(readFileSync(e.manifestPath, "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../exercise.schema.json",
      );
    }
  });
});
