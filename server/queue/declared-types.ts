/**
 * The declaration files each code kind ships for the module its students import, read once, for the
 * type warnings shown beside a grading (grader/sandbox/typecheck.ts). A kind without one gets none. A kind
 * whose exercises test different services (functional-tests) declares one module per service, all
 * given to the checker: each exercise imports only its own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DeclaredModule } from "../../grader/sandbox/typecheck";
import { MODULE_NAME as RIDES_MODULE } from "../../grader/dark-launch/contract";
import { MODULE_NAME as TESTING_MODULE } from "../../grader/functional-tests/contract";
import { ROLLOUT_MODULE } from "../../grader/rollout-sim/code-grade";
import { projectRoot } from "../paths";

const files: Record<string, { moduleName: string; files: string[] }> = {
  code: { moduleName: "flagship:checkout", files: ["grader/code/flagship-checkout.d.ts"] },
  "dark-launch": { moduleName: RIDES_MODULE, files: ["grader/dark-launch/flagship-rides.d.ts"] },
  "functional-tests": {
    moduleName: TESTING_MODULE,
    files: ["grader/functional-tests/flagship-testing.d.ts", "grader/functional-tests/flagship-gateway-testing.d.ts"],
  },
  "rollout-policy-code": { moduleName: ROLLOUT_MODULE, files: ["grader/rollout-sim/flagship-rollout.d.ts"] },
};

const cache = new Map<string, DeclaredModule | undefined>();

export function declaredModuleFor(kind: string): DeclaredModule | undefined {
  if (!cache.has(kind)) {
    const entry = files[kind];
    let declared: DeclaredModule | undefined;
    try {
      declared = entry && {
        moduleName: entry.moduleName,
        dts: entry.files.map((file) => readFileSync(join(projectRoot, file), "utf8")).join("\n"),
      };
    } catch {
      declared = undefined;
    }
    cache.set(kind, declared);
  }
  return cache.get(kind);
}
