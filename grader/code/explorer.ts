/**
 * Dynamic fault-space discovery in the manner of Filibuster: run once without faults, then, depth
 * first, fail each call reached after the last injected fault with every fault kind on top of the
 * current faults. Calls are identified by service.method and occurrence, so a retry is a new call
 * that can be failed on its own. No fault set is ever run twice.
 *
 * The search itself is sequential, so which executions run and in what order they are reported does
 * not depend on timing. Only the running is started early: as soon as an execution's record is in,
 * the children the search is bound to visit are handed to `run`, so a runner that takes several
 * executions at once (SandboxRunner) can work on them together.
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

type RunRecord = Awaited<ReturnType<RunExecution>>;

/**
 * `run` with look-ahead: `ahead` starts an execution now and keeps its promise until the search asks
 * for that fault set with `get`. When `children` is given, the children of each record started ahead
 * are started too as soon as it arrives. Never more than the execution bound is started.
 */
function lookAhead(run: RunExecution, limits: ExploreLimits, children: (record: RunRecord, faults: Fault[]) => Fault[][]) {
  const started = new Map<string, Promise<RunRecord>>();
  let used = 0;
  const ahead = (faults: Fault[]): void => {
    const key = faultSetKey(faults);
    if (started.has(key) || used + started.size >= limits.maxExecutions || Date.now() > limits.deadline) return;
    const promise = run(faults);
    started.set(key, promise);
    promise.then(
      (record) => {
        if (started.get(key) === promise) for (const child of children(record, faults)) ahead(child);
      },
      () => undefined, // whoever asks for it with `get` sees the failure
    );
  };
  const get = (faults: Fault[]): Promise<RunRecord> => {
    used++;
    const key = faultSetKey(faults);
    const promise = started.get(key);
    started.delete(key);
    return promise ?? run(faults);
  };
  return { ahead, get };
}

/** The fault sets one level below a record: each call after its last fault, failed with each kind. */
function childFaultSets(record: ExecutionRecord, faults: Fault[], kinds: readonly FaultKind[]): Fault[][] {
  return record.calls.slice(lastFaultIndex(record) + 1).flatMap((call) => kinds.map((kind) => [...faults, { call: call.id, kind }]));
}

export async function explore(run: RunExecution, kinds: readonly FaultKind[], limits: ExploreLimits): Promise<Exploration> {
  if (limits.reduce) return exploreReduced(run, kinds, limits);
  const executions: ExecutionRecord[] = [];
  const seen = new Set<string>([faultSetKey([])]);
  const stack: Node[] = [{ faults: [] }];
  const runs = lookAhead(run, limits, (record, faults) => childFaultSets(record, faults, kinds).filter((f) => !seen.has(faultSetKey(f))));
  while (stack.length > 0) {
    const stop = overLimit(executions.length, limits);
    if (stop) return { executions, complete: false, incomplete: stop, skipped: 0 };
    const node = stack.pop() as Node;
    const record = await runs.get(node.faults);
    executions.push(record);
    const children: Node[] = [];
    for (const call of record.calls.slice(lastFaultIndex(record) + 1)) {
      for (const kind of kinds) {
        const faults = [...node.faults, { call: call.id, kind }];
        const key = faultSetKey(faults);
        if (seen.has(key)) continue;
        seen.add(key);
        children.push({ faults });
        runs.ahead(faults);
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
  // Ahead of time only the first kind of each call: the others depend on what its subtree inspects.
  const firstKind = kinds.slice(0, 1);
  const runs = lookAhead(run, limits, (record, faults) => childFaultSets(record, faults, firstKind).filter((f) => !seen.has(faultSetKey(f))));

  /** Runs a node and its subtree; returns the fault call ids whose errors were inspected in it. */
  async function visit(faults: Fault[]): Promise<Set<string>> {
    const inspected = new Set<string>();
    const stop = overLimit(executions.length, limits);
    if (stop) {
      incomplete ??= stop;
      return inspected;
    }
    const record = await runs.get(faults);
    executions.push(record);
    for (const id of record.inspectedFaults ?? []) inspected.add(id);
    for (const next of childFaultSets(record, faults, firstKind)) if (!seen.has(faultSetKey(next))) runs.ahead(next);
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
        // The first kind's subtree is done and did not vouch: every other kind will run, so start them all.
        if (index === 1) {
          for (const other of kinds.slice(1)) {
            const sibling = [...faults, { call: call.id, kind: other }];
            if (!seen.has(faultSetKey(sibling))) runs.ahead(sibling);
          }
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

