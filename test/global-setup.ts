import { execFileSync } from "node:child_process";

/** Builds dist/ once before any test file runs, so CLI tests spawn the same bundle users run. */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
