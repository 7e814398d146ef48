/**
 * The compact fault-space table for the result page: one row per execution, one column per call
 * identity seen in that fixture, each cell "ok", the injected fault kind, "rejected" or "-" (not
 * called), and the rule ids that failed in that row. Failing rows come first (so a row limit never
 * hides one), each with its counterexample so the page can expand it; `n` is the execution's number.
 */
import type { JsonValue } from "../result";
import type { ExecutionRecord } from "./execution";
import type { RuleCheck } from "./judge";

export interface JudgedExecution {
  record: ExecutionRecord;
  checks: RuleCheck[];
}

export function faultTable(
  fixtureId: string,
  judged: readonly JudgedExecution[],
  maxRows: number,
  counterexampleFor: (execution: JudgedExecution) => JsonValue,
): JsonValue {
  const columns: string[] = [];
  for (const { record } of judged) {
    for (const call of record.calls) if (!columns.includes(call.id)) columns.push(call.id);
  }
  const numbered = judged.map((execution, i) => ({ execution, n: i + 1, fails: execution.checks.some((c) => !c.ok) }));
  const ordered = [...numbered.filter((r) => r.fails), ...numbered.filter((r) => !r.fails)];
  const rows = ordered.slice(0, maxRows).map(({ execution, n, fails }) => {
    const { record, checks } = execution;
    const byId = new Map(record.calls.map((c) => [c.id, c]));
    const transient = new Map(record.faults.flatMap((f) => (f.attempts === undefined ? [] : [[f.call, f] as const])));
    const cells = columns.map((id) => {
      const call = byId.get(id);
      if (!call) return "-";
      // A transient fault: its first attempts failed, and the cell says so rather than the last attempt's "ok".
      const fault = transient.get(id);
      if (fault && call.outcome.ok) return `${fault.kind}×${fault.attempts}, then ok`;
      if (call.outcome.ok) return "ok";
      return "injected" in call.outcome ? call.outcome.injected : "rejected";
    });
    const failing = [...new Set(checks.filter((c) => !c.ok).map((c) => c.rule))];
    return {
      n,
      cells,
      failing,
      settled: record.settlement.kind,
      ...(fails ? { detail: counterexampleFor(execution) } : {}),
    };
  });
  return {
    fixture: fixtureId,
    executions: judged.length,
    columns,
    rows,
    omittedRows: Math.max(0, judged.length - maxRows),
  };
}
