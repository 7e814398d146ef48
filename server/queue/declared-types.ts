/**
 * The declaration file each code kind ships for the one module its students import, read once, for
 * the type warnings shown beside a grading (grader/code/typecheck.ts). A kind without one gets none.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DeclaredModule } from "../../grader/code/typecheck";
import { MODULE_NAME as RIDES_MODULE } from "../../grader/dark-launch/contract";
import { MODULE_NAME as TESTING_MODULE } from "../../grader/functional-tests/contract";
import { projectRoot } from "../paths";

const files: Record<string, { moduleName: string; file: string }> = {
  code: { moduleName: "flagship:checkout", file: "grader/code/flagship-checkout.d.ts" },
  "dark-launch": { moduleName: RIDES_MODULE, file: "grader/dark-launch/flagship-rides.d.ts" },
  "functional-tests": { moduleName: TESTING_MODULE, file: "grader/functional-tests/flagship-testing.d.ts" },
};

const cache = new Map<string, DeclaredModule | undefined>();

export function declaredModuleFor(kind: string): DeclaredModule | undefined {
  if (!cache.has(kind)) {
    const entry = files[kind];
    let declared: DeclaredModule | undefined;
    try {
      declared = entry && { moduleName: entry.moduleName, dts: readFileSync(join(projectRoot, entry.file), "utf8") };
    } catch {
      declared = undefined;
    }
    cache.set(kind, declared);
  }
  return cache.get(kind);
}
