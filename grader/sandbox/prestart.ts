/**
 * Starting an engine host before anything else of the grader is loaded. A one-off grading from the
 * command line pays for a host's boot (Node inside the sandbox, the bundle, compiling the
 * WebAssembly) once; started first, the host boots on the other core while this process loads the
 * grader, the exercise and the answer, instead of after. Only Node's own modules are loaded here.
 */
import { DEFAULT_HOST_LIMITS, prestartHost } from "./engine-pool";
import { guessSandboxMode } from "./modes";

/**
 * A host for the default limits, idle in the pool until the grading leases it. It is started for
 * that one grading (see `HostLifetime`); should it fail, its replacement is an ordinary one. It is
 * started in the mode the sandbox is likely to be in, while the probes that decide it run: when the
 * guess is wrong, or no sandbox is available, the grading starts its own host or says why.
 */
export function prestartHostForOneGrading(): void {
  const mode = guessSandboxMode();
  if (mode) prestartHost(mode, DEFAULT_HOST_LIMITS, "one-grading");
}
