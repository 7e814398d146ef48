/**
 * The kind registry loads each kind's module by name, when first needed: every name must load a kind
 * that calls itself by that name, and an unknown or inherited name none.
 */
import { describe, expect, it } from "vitest";
import { KIND_NAMES, allKinds, findKind } from "../../grader/exercises/kinds";

describe("the kind registry", () => {
  it("loads, under each name, the kind of that name", async () => {
    expect(KIND_NAMES.length).toBeGreaterThanOrEqual(6);
    for (const name of KIND_NAMES) expect((await findKind(name))?.kind).toBe(name);
    expect((await allKinds()).map((k) => k.kind)).toEqual(KIND_NAMES);
  });

  it("finds nothing under a name it does not list, nor under one every object has", async () => {
    for (const name of ["quiz", "", "constructor", "toString", "__proto__"])
      expect(await findKind(name)).toBeUndefined();
  });
});
