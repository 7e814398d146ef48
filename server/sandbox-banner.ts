/**
 * The start banner's line about code grading: which operating-system sandbox will hold student code
 * on this machine, and what to install when it is not the strongest one. An operator who reads only
 * the console learns here, not from a refused submission, that code cannot be graded.
 */
import type { SandboxMode } from "../grader/sandbox/modes";

const installHint = "install bubblewrap for the strongest sandbox (Debian/Ubuntu: sudo apt-get install bubblewrap)";

export function sandboxBanner(detected: { mode: SandboxMode } | { error: string }): string {
  if ("error" in detected) {
    return `Code grading: no sandbox available, so code submissions are refused; ${installHint}, or set FLAGSHIP_UNSAFE_SANDBOX=1 on a development machine.`;
  }
  switch (detected.mode) {
    case "bwrap":
      return "Code grading: student code runs under bubblewrap (the strongest sandbox).";
    case "unshare":
      return `Code grading: bubblewrap is missing or cannot create namespaces here, so student code runs under unshare + setpriv; ${installHint}.`;
    case "unsafe":
      return `Code grading: NO operating-system sandbox (FLAGSHIP_UNSAFE_SANDBOX=1); never use this with real students; ${installHint}.`;
  }
}
