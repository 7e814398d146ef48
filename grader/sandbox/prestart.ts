/**
 * Starting an engine host before anything else of the grader is loaded. A one-off grading from the
 * command line pays for a host's boot (Node inside the sandbox, the bundle, compiling the
 * WebAssembly) once; started first, the host boots on the other core while this process loads the
 * grader, the exercise and the answer, instead of after. Only Node's own modules are loaded here.
 */
import { DEFAULT_HOST_LIMITS, prestartHost } from "./engine-pool";
import { detectSandboxMode } from "./modes";

/**
 * A host for the default limits, idle in the pool until the grading leases it. It is started for
 * that one grading (see `HostLifetime`); should it fail, its replacement is an ordinary one. Nothing
 * is started when no sandbox is available: the grading then says why.
 */
export function prestartHostForOneGrading(): void {
  const detected = detectSandboxMode({});
  if ("mode" in detected) prestartHost(detected.mode, DEFAULT_HOST_LIMITS, "one-grading");
}
