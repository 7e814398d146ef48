/**
 * Dynamic fault-space discovery in the manner of Filibuster: run once without faults, then, depth
 * first, fail each logical call that started after the last faulted one, on top of the current
 * faults. A logical call is a first attempt and its retries (see execution.ts); a fault on it is
 * persistent (every attempt fails) or transient (the first n attempts fail). No fault set is ever run
 * twice. README.md, "The fault model" and "The reduction", gives the argument for what is explored.
 *
 * The search itself is sequential, so which executions run and in what order they are reported does
 * not depend on timing. Only the running is started early: as soon as an execution's record is in,
 * the children the search is bound to visit are handed to `run`, so a runner that takes several
 * executions at once (SandboxRunner) can work on them together.
 */
import { FAULT_SHAPES, type FaultKind } from "./contract";
import { faultSetKey, type ExecutionRecord, type Fault } from "./execution";
import type { ErrorField } from "../sandbox/protocol";
import { InfrastructureFailure } from "../sandbox/runner";

export interface ExploreLimits {
  maxExecutions: number;
  /**
   * Work the whole grading may do, in engine ticks, shared by every fixture's search: deterministic,
   * so code that spins in every execution ends with the same verdict on any machine.
   */
  work: { left: number };
  /** Real time (Date.now()) past which the machinery has failed: a backstop, never a verdict. */
  backstop: number;
  /** Skip fault kinds the handler cannot have told apart (see README: the reduction). */
  reduce: boolean;
}

/** An execution as the search needs it: the record, what error fields it read, and its work. */
export interface ExploredExecution extends ExecutionRecord {
  /** Per logical call id, the fields of its errors the handler read. */
  reads: Map<string, Set<ErrorField>>;
  work: number;
}

export type RunExecution = (faults: Fault[]) => Promise<ExploredExecution>;

export interface Exploration {
  executions: ExecutionRecord[];
  complete: boolean;
  /** Why exploration stopped early. */
  incomplete?: string;
  /** Executions not run because the reduction proved them equivalent to one that was. */
  skipped: number;
}

/**
 * The logical calls a child of this execution may fail: those that started after the last faulted
 * one started (faults are added in that order, so each fault set is built one way only), in order.
 */
function callsAfterLastFault(record: ExecutionRecord, faults: readonly Fault[]): string[] {
  const order: string[] = [];
  for (const call of record.calls) if (!order.includes(call.id)) order.push(call.id);
  const last = faults[faults.length - 1];
  const from = last ? order.indexOf(last.call) + 1 : 0;
  const faulted = new Set(faults.map((f) => f.call));
  return order.slice(Math.max(from, 0)).filter((id) => !faulted.has(id));
}

/** How many attempts the execution made at a logical call. */
function attemptsAt(record: ExecutionRecord, call: string): number {
  return record.calls.filter((c) => c.id === call).length;
}

/**
 * The transient faults worth running beside the persistent one, given the attempts A the code made
 * when every attempt failed: the first attempt fails (a blip), and all but the last fail (it heals
 * on the code's last try). With A = 1 the code does not retry, and a transient fault is the
 * persistent one; in between, see README.md for why these two stand for the rest.
 */
function transientAttempts(attempts: number): number[] {
  if (attempts < 2) return [];
  return attempts === 2 ? [1] : [1, attempts - 1];
}

/** Whether kind `k` answers every field the handler read the same as `rep`: then it runs identically. */
function alike(k: FaultKind, rep: FaultKind, read: ReadonlySet<ErrorField>): boolean {
  const shape = (kind: FaultKind) => ({ kind, ...FAULT_SHAPES[kind] });
  for (const field of read) if (shape(k)[field] !== shape(rep)[field]) return false;
  return true;
}

/**
 * `run` with look-ahead: `ahead` starts an execution now and keeps its promise until the search asks
 * for that fault set with `get`. The first kind's persistent fault on each later call of a record
 * started ahead is started too as soon as it arrives. Never more than the execution bound is started.
 */
function lookAhead(
  run: RunExecution,
  limits: ExploreLimits,
  children: (record: ExploredExecution, faults: Fault[]) => Fault[][],
) {
  const started = new Map<string, Promise<ExploredExecution>>();
  let used = 0;
  const ahead = (faults: Fault[]): void => {
    const key = faultSetKey(faults);
    if (started.has(key) || used + started.size >= limits.maxExecutions) return;
    const promise = run(faults);
    started.set(key, promise);
    promise.then(
      (record) => {
        if (started.get(key) === promise) for (const child of children(record, faults)) ahead(child);
      },
      () => undefined, // whoever asks for it with `get` sees the failure
    );
  };
  const get = (faults: Fault[]): Promise<ExploredExecution> => {
    used++;
    const key = faultSetKey(faults);
    const promise = started.get(key);
    started.delete(key);
    return promise ?? run(faults);
  };
  return { ahead, get };
}

/**
 * Explores one fixture's fault space. Rejects with InfrastructureFailure when the machinery failed
 * (the runner's hosts, or the real-time backstop); every other way it ends is the code's and is
 * reported in the result.
 */
export async function explore(
  run: RunExecution,
  kinds: readonly FaultKind[],
  limits: ExploreLimits,
): Promise<Exploration> {
  const executions: ExecutionRecord[] = [];
  const seen = new Set<string>([faultSetKey([])]);
  let skipped = 0;
  let incomplete: string | undefined;
  /** The most attempts seen at one logical call of each method, for the message when the search is too large. */
  const mostAttempts = new Map<string, number>();
  const runs = lookAhead(run, limits, (record, faults) =>
    boundToVisit(record, faults).filter((f) => !seen.has(faultSetKey(f))),
  );

  /**
   * What the search will visit for certain once this record is in, whatever the reduction decides: the
   * first kind's persistent fault on each later call, and, when this record is itself the first
   * kind's persistent fault on a call, that kind's transient faults on it (they need its attempts).
   */
  function boundToVisit(record: ExploredExecution, faults: Fault[]): Fault[][] {
    const first = kinds[0] as FaultKind;
    const next = callsAfterLastFault(record, faults).map((call) => [...faults, { call, kind: first }]);
    const last = faults[faults.length - 1];
    if (!last || last.attempts !== undefined || last.kind !== first) return next;
    const transient = transientAttempts(attemptsAt(record, last.call)).map((attempts) => [
      ...faults.slice(0, -1),
      { ...last, attempts },
    ]);
    return [...transient, ...next];
  }

  function stopReason(): string | undefined {
    if (executions.length >= limits.maxExecutions) {
      const [call, attempts] = [...mostAttempts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
      const why =
        attempts > 1
          ? `; the code tried ${call} up to ${attempts} times in one execution, and each attempt can fail or succeed`
          : "";
      return `more than ${limits.maxExecutions} executions would be needed${why}`;
    }
    if (limits.work.left < 0)
      return "the code did more work over all its executions than a grading allows (does it loop for long before answering?)";
    return undefined;
  }

  /**
   * Runs one fault option for `call` with its subtree, unless that fault set ran already; returns the
   * fields of `call`'s errors read in it and its record, or undefined when the search stopped.
   */
  async function visitOption(
    reads: Map<string, Set<ErrorField>>,
    next: Fault[],
    call: string,
  ): Promise<{ read: Set<ErrorField>; record?: ExploredExecution } | undefined> {
    // Ran already (no fault set is built twice, so this is only a guard): vouch for no other kind.
    if (seen.has(faultSetKey(next))) return { read: new Set<ErrorField>(["kind", "status", "retryable"]) };
    const read = new Set<ErrorField>();
    seen.add(faultSetKey(next));
    const subtree = await visit(next);
    collect(reads, read, subtree.reads, call);
    return incomplete ? undefined : { read, record: subtree.record };
  }

  /**
   * Runs a node and its subtree; returns, per logical call, the error fields read anywhere in it, and
   * the node's own record (undefined when the search stopped before running it).
   */
  async function visit(faults: Fault[]): Promise<{ reads: Map<string, Set<ErrorField>>; record?: ExploredExecution }> {
    const reads = new Map<string, Set<ErrorField>>();
    if (Date.now() > limits.backstop) throw new InfrastructureFailure("the grading ran past its real-time backstop");
    const stop = stopReason();
    if (stop) {
      incomplete ??= stop;
      return { reads };
    }
    const record = await runs.get(faults);
    executions.push(record);
    limits.work.left -= record.work;
    merge(reads, record.reads);
    for (const call of record.calls)
      mostAttempts.set(call.name, Math.max(mostAttempts.get(call.name) ?? 0, call.attempt));
    for (const option of boundToVisit(record, faults)) if (!seen.has(faultSetKey(option))) runs.ahead(option);
    for (const call of callsAfterLastFault(record, faults)) {
      // Each way of failing the call (persistent, or its first n attempts) keeps its own list of kinds
      // run, with the fields of the call's errors their subtrees read: a kind that agrees with one of
      // them on every such field would run identically, and is skipped.
      const explored = new Map<string, { kind: FaultKind; read: Set<ErrorField>; attempts: number }[]>();
      const options = (attempts: number | undefined) => {
        const key = String(attempts ?? "all");
        const list = explored.get(key) ?? [];
        explored.set(key, list);
        return list;
      };
      for (const kind of kinds) {
        const persistent = options(undefined);
        let attempts = persistent.find((e) => limits.reduce && alike(kind, e.kind, e.read))?.attempts;
        if (attempts === undefined) {
          const node = await visitOption(reads, [...faults, { call, kind }], call);
          if (!node) return { reads, record };
          attempts = node.record ? attemptsAt(node.record, call) : 0;
          persistent.push({ kind, read: node.read, attempts });
        } else skipped++;
        for (const n of transientAttempts(attempts)) {
          const transient = options(n);
          if (transient.some((e) => limits.reduce && alike(kind, e.kind, e.read))) {
            skipped++;
            continue;
          }
          const node = await visitOption(reads, [...faults, { call, kind, attempts: n }], call);
          if (!node) return { reads, record };
          transient.push({ kind, read: node.read, attempts: n });
        }
      }
    }
    return { reads, record };
  }

  await visit([]);
  return incomplete ? { executions, complete: false, incomplete, skipped } : { executions, complete: true, skipped };
}

function merge(into: Map<string, Set<ErrorField>>, from: ReadonlyMap<string, ReadonlySet<ErrorField>>): void {
  for (const [call, fields] of from) {
    const set = into.get(call) ?? new Set<ErrorField>();
    for (const field of fields) set.add(field);
    into.set(call, set);
  }
}

/** Adds a subtree's reads to its parent's, and the fields read of `call` to `read`. */
function collect(
  into: Map<string, Set<ErrorField>>,
  read: Set<ErrorField>,
  subtree: ReadonlyMap<string, ReadonlySet<ErrorField>>,
  call: string,
): void {
  merge(into, subtree);
  for (const field of subtree.get(call) ?? []) read.add(field);
}
