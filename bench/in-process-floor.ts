/**
 * The floor under the code grader: the same exploration and judging as `gradeCode`, with the
 * student's module run in this process by V8 instead of in QuickJS behind the sandbox. No isolation
 * at all, so only for the benchmark and only on our own reference code. What the sandboxed grading
 * costs beyond this is the price of the sandbox; the target is within 20× of it.
 */
import type { JsonValue } from "../grader/result";
import { exploreAndJudge, type ExecutionRunner } from "../grader/code/grade";
import { resolveCodeGradingOptions } from "../grader/sandbox/config";
import type { Oracle } from "../grader/code/oracle-schema";
import { CHECKOUT_PROFILE } from "../grader/sandbox/session";
import type { FieldRead, RawRun } from "../grader/sandbox/runner";
import { transpileSubmission } from "../grader/sandbox/transpile";
import type { GradingResult } from "../grader/result";

type ModuleFactory = (
  require: (name: string) => unknown,
  module: { exports: Record<string, unknown> },
  exports: Record<string, unknown>,
) => void;

class ServiceError extends Error {
  kind = "";
  status = 0;
  retryable = false;
}

const copy = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value ?? null)) as JsonValue;

function inProcessRunner(factory: ModuleFactory): ExecutionRunner {
  return {
    async run(req: JsonValue, startAttempt): Promise<RawRun> {
      const answer = startAttempt();
      const inspected: FieldRead[] = [];
      let seq = 0;
      const session = CHECKOUT_PROFILE.session({
        req,
        ServiceError,
        call: (service, method, args) => {
          const reply = answer({ seq: ++seq, service, method, args: args.map(copy) });
          if ("violation" in reply) return Promise.reject(new Error(reply.violation));
          if (reply.ok) return Promise.resolve(copy(reply.value));
          // As guest.ts does: each field is read through a getter, and the read is recorded.
          const error = new ServiceError(reply.error.message);
          const at = seq;
          for (const field of ["kind", "status", "retryable"] as const) {
            Object.defineProperty(error, field, {
              get: () => (inspected.push({ seq: at, field }), reply.error[field]),
            });
          }
          return Promise.reject(error);
        },
      });
      const module = { exports: {} as Record<string, unknown> };
      factory(() => session.provided, module, module.exports);
      try {
        return {
          settlement: { kind: "returned", value: copy(await session.invoke(module.exports)) },
          inspected,
          work: 0,
        };
      } catch (error) {
        return { settlement: { kind: "threw", message: String(error) }, inspected, work: 0 };
      }
    },
  };
}

/** Grades `source` for `oracle` in-process; throws if it does not transpile. */
export async function gradeInProcess(oracle: Oracle, source: string): Promise<GradingResult> {
  const transpiled = await transpileSubmission(source);
  if (!transpiled.ok) throw new Error("the reference does not transpile");
  // Our own reference, in the benchmark only: the one place code runs outside the sandbox.
  const factory = (0, eval)(transpiled.code) as ModuleFactory;
  return exploreAndJudge(oracle, inProcessRunner(factory), resolveCodeGradingOptions(), () => ({
    sandbox: "none (in-process floor)",
  }));
}
