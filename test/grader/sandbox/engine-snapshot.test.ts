/**
 * The snapshot every execution starts from (engine-snapshot.ts): the layout read from the real QuickJS
 * binary, and what a restore puts back. That executions cannot see each other through it is shown
 * end to end by harness-redteam.test.ts, which tries every place a count of executions could hide.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  readMemoryLayout,
  restoreSnapshot,
  takeSnapshot,
  type EngineHeap,
} from "../../../grader/sandbox/engine-snapshot";

const require = createRequire(import.meta.url);

describe("the engine snapshot", () => {
  it("reads where the statics end and the stack lies from the QuickJS binary", () => {
    const layout = readMemoryLayout(readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")));
    expect(layout).toBeDefined();
    const { dataEnd, stackTop } = layout ?? { dataEnd: 0, stackTop: 0 };
    expect(dataEnd).toBeGreaterThan(1024);
    // The stack sits between the statics and the heap, and is far larger than the statics' allowance.
    expect(stackTop - dataEnd).toBeGreaterThan(1024 * 1024);
  });

  it("reads no layout from something that is not a WebAssembly binary it recognises", () => {
    expect(readMemoryLayout(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))).toBeUndefined();
    expect(readMemoryLayout(new TextEncoder().encode("not wasm at all"))).toBeUndefined();
  });

  it("puts back the statics and the heap, and leaves the dead stack alone", () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const layout = { dataEnd: 1000, stackTop: 120_000 };
    const heapEnd = 200_000;
    const heap: EngineHeap = { _malloc: () => heapEnd, _free: () => undefined };
    const bytes = new Uint8Array(memory.buffer);
    bytes.fill(7, 0, 1000);
    bytes.fill(9, 120_000, heapEnd);
    const snapshot = takeSnapshot(memory, heap, layout);
    expect(snapshot.size).toBe(1000 + 64 * 1024 + (heapEnd - 120_000));

    bytes.fill(1, 0, bytes.length);
    restoreSnapshot(memory, snapshot);
    expect(bytes[0]).toBe(7);
    // Zero statics (the bss) just past the data are put back too.
    expect(bytes[1000 + 60_000]).toBe(0);
    expect(bytes[119_999]).toBe(1);
    expect(bytes[120_000]).toBe(9);
    expect(bytes[heapEnd - 1]).toBe(9);
    // Above the heap's end is free space: left as the execution left it.
    expect(bytes[heapEnd]).toBe(1);
  });

  it("copies everything below the heap's end when the layout is unknown", () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const heap: EngineHeap = { _malloc: () => 100_000, _free: () => undefined };
    const snapshot = takeSnapshot(memory, heap, undefined);
    expect(snapshot.size).toBe(100_000);
  });
});
