/**
 * The exhaustive search, kept to check the reduced one: every attempt of every call is a call of its
 * own (`service.method@occurrence`), failed with every kind on top of the faults before it, with no
 * reduction at all. It is what grading would be with unlimited time; the fault model and the
 * reduction (explorer.ts, README.md) must give the same verdicts on every solution small enough to
 * search this way (test/grader/code/retry-variants.test.ts).
 */
import type { FaultKind } from "./contract";
import { faultSetKey, type ExecutionRecord, type Fault } from "./execution";
import type { Exploration, ExploreLimits, ExploredExecution } from "./explorer";
import { InfrastructureFailure } from "../sandbox/runner";

/** The fault's `call` names one attempt: `users.getUser@2` is the second call of getUser. */
export function occurrenceId(name: string, occurrence: number): string {
  return `${name}@${occurrence}`;
}

function lastInjected(record: ExecutionRecord): number {
  for (let i = record.calls.length - 1; i >= 0; i--) {
    const outcome = record.calls[i]?.outcome;
    if (outcome && !outcome.ok && "injected" in outcome) return i;
  }
  return -1;
}

export async function exploreEveryAttempt(
  run: (faults: Fault[]) => Promise<ExploredExecution>,
  kinds: readonly FaultKind[],
  limits: ExploreLimits,
): Promise<Exploration> {
  const executions: ExecutionRecord[] = [];
  const seen = new Set<string>([faultSetKey([])]);
  const stack: Fault[][] = [[]];
  while (stack.length > 0) {
    if (Date.now() > limits.backstop) throw new InfrastructureFailure("the grading ran past its real-time backstop");
    if (executions.length >= limits.maxExecutions) {
      return {
        executions,
        complete: false,
        incomplete: `more than ${limits.maxExecutions} executions would be needed`,
        skipped: 0,
      };
    }
    const faults = stack.pop() as Fault[];
    const record = await run(faults);
    executions.push(record);
    const children: Fault[][] = [];
    for (const call of record.calls.slice(lastInjected(record) + 1)) {
      for (const kind of kinds) {
        const next = [...faults, { call: occurrenceId(call.name, call.occurrence), kind }];
        if (seen.has(faultSetKey(next))) continue;
        seen.add(faultSetKey(next));
        children.push(next);
      }
    }
    // Reversed so the first call's first kind is explored first: plain depth-first order.
    stack.push(...children.reverse());
  }
  return { executions, complete: true, skipped: 0 };
}
