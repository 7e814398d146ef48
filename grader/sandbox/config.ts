/**
 * Every tunable of the code grader in one validated object with defaults. The server passes its own
 * values from its config; the CLI and tests pass nothing or a few overrides.
 */
import { z } from "zod";
import { DEFAULT_HOST_LIMITS } from "./engine-pool";

export const codeGradingOptionsSchema = z
  .object({
    /** Stop exploring a fixture after this many executions (an "exploration incomplete" error). */
    maxExecutionsPerFixture: z.number().int().min(1).default(2000),
    /**
     * Real time after which a grading is given up as an infrastructure error: a backstop only. The
     * budgets that decide verdicts are counted in work and simulated time (below), never in real time.
     */
    totalTimeoutMs: z.number().int().min(100).default(120_000),
    /**
     * Budget of one execution on its own simulated clock, which moves with timers and call latency
     * only; a handler that would answer later fails `no-crash` (engine-host.ts).
     */
    executionTimeoutMs: z.number().int().min(10).default(1000),
    /** Simulated time each downstream call takes to answer. */
    callLatencyMs: z.number().int().min(0).max(1000).default(10),
    /**
     * Work one execution may do, in QuickJS interrupt ticks (one every few thousand bytecode steps,
     * about 4,000 turns of a tight loop). A checkout needs a handful; past this it spins, and fails
     * `no-crash`, after the same work on any machine.
     */
    maxWorkTicks: z.number().int().min(1).default(500),
    /** Work a whole grading may do, over every execution; past it, an "exploration incomplete" error. */
    maxWorkTicksPerGrading: z.number().int().min(1).default(20_000),
    /** Real time one execution may take before its host is given up on: a backstop, never a verdict. */
    backstopMs: z.number().int().min(100).default(15_000),
    /** Host failures one grading survives (a fresh host each time) before it is an infrastructure error. */
    maxHostFailures: z.number().int().min(0).default(4),
    startTimeoutMs: z.number().int().min(100).default(10_000),
    maxCallsPerExecution: z.number().int().min(1).default(100),
    /**
     * Executions the sandboxed child may run at once. Their messages share pipe writes, which is most
     * of an execution's cost; a failure with several in flight runs each of them again alone.
     */
    executionsInFlight: z.number().int().min(1).max(64).default(8),
    /** Heap of the Node process hosting the engines (engine-host.ts); the engines are not in it. */
    heapMb: z.number().int().min(16).default(DEFAULT_HOST_LIMITS.heapMb),
    /**
     * Objects one execution's engine may hold. A handler needs a few hundred KiB; what fills the limit
     * is a memory bomb, whose execution fails sooner the lower it is.
     */
    engineMemoryMb: z.number().int().min(1).max(200).default(32),
    /**
     * Address space of the host process: Node reserves about 0.7 GiB of it, the engines' WebAssembly
     * memory its maximum (3 × 256 MiB) up front. Below that, the engines cannot grow past 16 MiB.
     */
    addressSpaceMb: z.number().int().min(256).default(DEFAULT_HOST_LIMITS.addressSpaceMb),
    maxLineBytes: z.number().int().min(1024).default(DEFAULT_HOST_LIMITS.maxLineBytes),
    /**
     * Protocol bytes one grading may send the grader, over every execution and host: what the grader
     * keeps of each call (its arguments) must not be able to fill the server's memory.
     */
    maxOutputBytesPerGrading: z
      .number()
      .int()
      .min(1024)
      .default(32 * 1024 * 1024),
    /** Arguments of one downstream call, as JSON; a handler's are a few hundred bytes. */
    maxCallArgsBytes: z
      .number()
      .int()
      .min(256)
      .default(16 * 1024),
    /**
     * Skip fault kinds the handler never told apart (see README). On by default: without it a handler
     * that retries each read once needs thousands of executions. `false` gives the full search.
     */
    reduce: z.boolean().default(true),
    /**
     * `logical`: a fault is transient or persistent on a logical call (see README, "The fault model").
     * `every-attempt`: the exhaustive search, every attempt failed with every kind on its own, no
     * reduction; for checking the other on small solutions.
     */
    faultModel: z.enum(["logical", "every-attempt"]).default("logical"),
    /** Run without an OS sandbox when none is available (development only). */
    allowUnsafeSandbox: z.boolean().default(false),
    /** Pick a sandbox mode instead of the strongest available (tests of the fallback). */
    sandboxMode: z.enum(["bwrap", "unshare", "unsafe"]).optional(),
    /** Rows of the fault-space table kept in the result's details (the rest are counted). */
    maxTableRows: z.number().int().min(0).default(500),
  })
  .strict();

export type CodeGradingOptions = z.input<typeof codeGradingOptionsSchema>;
export type CodeGradingConfig = z.output<typeof codeGradingOptionsSchema>;

/** Validates options, throwing one readable message naming each bad field. */
export function resolveCodeGradingOptions(options: CodeGradingOptions = {}): CodeGradingConfig {
  const parsed = codeGradingOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`);
    throw new Error(`Invalid code grading options: ${lines.join("; ")}`);
  }
  return parsed.data;
}
