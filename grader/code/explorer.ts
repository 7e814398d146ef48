/**
 * Dynamic fault-space discovery in the manner of Filibuster: run once without faults, then, depth
 * first, fail each call reached after the last injected fault with every fault kind on top of the
 * current faults. Calls are identified by service.method and occurrence, so a retry is a new call
 * that can be failed on its own. No fault set is ever run twice.
 */
import type { FaultKind } from "./contract";
import { faultSetKey, type ExecutionRecord, type Fault } from "./execution";

export interface ExploreLimits {
  maxExecutions: number;
  /** Absolute time (Date.now()) after which exploration stops. */
  deadline: number;
  /** Skip kinds the handler never told apart (see README: sound reduction). */
  reduce: boolean;
}

export type RunExecution = (faults: Fault[]) => Promise<ExecutionRecord & { inspectedFaults?: string[] }>;

export interface Exploration {
  executions: ExecutionRecord[];
  complete: boolean;
  /** Why exploration stopped early. */
  incomplete?: string;
  /** Executions not run because the reduction proved them equivalent to one that was. */
  skipped: number;
}

/** Index of the last call that received an injected fault, or -1 when none did. */
function lastFaultIndex(record: ExecutionRecord): number {
  for (let i = record.calls.length - 1; i >= 0; i--) {
    const outcome = record.calls[i]?.outcome;
    if (outcome && !outcome.ok && "injected" in outcome) return i;
  }
  return -1;
}

interface Node {
  faults: Fault[];
}

export async function explore(run: RunExecution, kinds: readonly FaultKind[], limits: ExploreLimits): Promise<Exploration> {
  if (limits.reduce) return exploreReduced(run, kinds, limits);
  const executions: ExecutionRecord[] = [];
  const seen = new Set<string>([faultSetKey([])]);
  const stack: Node[] = [{ faults: [] }];
  while (stack.length > 0) {
    const stop = overLimit(executions.length, limits);
    if (stop) return { executions, complete: false, incomplete: stop, skipped: 0 };
    const node = stack.pop() as Node;
    const record = await run(node.faults);
    executions.push(record);
    const children: Node[] = [];
    for (const call of record.calls.slice(lastFaultIndex(record) + 1)) {
      for (const kind of kinds) {
        const faults = [...node.faults, { call: call.id, kind }];
        const key = faultSetKey(faults);
        if (seen.has(key)) continue;
        seen.add(key);
        children.push({ faults });
      }
    }
    // Reversed so the first call's first kind is explored first: plain depth-first order.
    stack.push(...children.reverse());
  }
  return { executions, complete: true, skipped: 0 };
}

function overLimit(done: number, limits: ExploreLimits): string | undefined {
  if (done >= limits.maxExecutions) return `more than ${limits.maxExecutions} executions would be needed`;
  if (Date.now() > limits.deadline) return "the time limit for exploration ran out";
  return undefined;
}

/**
 * The reduced search: for a new fault on call c, explore the first kind with its whole subtree; if no
 * execution in that subtree inspected c's error (its kind, status, message...), the other kinds behave
 * identically and their subtrees are skipped. Recursion keeps the subtree bookkeeping simple.
 */
async function exploreReduced(run: RunExecution, kinds: readonly FaultKind[], limits: ExploreLimits): Promise<Exploration> {
  const executions: ExecutionRecord[] = [];
  const seen = new Set<string>([faultSetKey([])]);
  let skipped = 0;
  let incomplete: string | undefined;

  /** Runs a node and its subtree; returns the fault call ids whose errors were inspected in it. */
  async function visit(faults: Fault[]): Promise<Set<string>> {
    const inspected = new Set<string>();
    const stop = overLimit(executions.length, limits);
    if (stop) {
      incomplete ??= stop;
      return inspected;
    }
    const record = await run(faults);
    executions.push(record);
    for (const id of record.inspectedFaults ?? []) inspected.add(id);
    for (const call of record.calls.slice(lastFaultIndex(record) + 1)) {
      // Only a fully explored first kind whose error nobody inspected vouches for the others.
      let equivalent = false;
      for (const [index, kind] of kinds.entries()) {
        const next = [...faults, { call: call.id, kind }];
        const key = faultSetKey(next);
        if (seen.has(key)) continue;
        seen.add(key);
        if (index > 0 && equivalent) {
          skipped += 1; // its subtree mirrors the first kind's, so it is not counted further
          continue;
        }
        const sub = await visit(next);
        for (const id of sub) inspected.add(id);
        if (index === 0) equivalent = !sub.has(call.id);
        if (incomplete) return inspected;
      }
    }
    return inspected;
  }

  await visit([]);
  return incomplete ? { executions, complete: false, incomplete, skipped } : { executions, complete: true, skipped };
}

