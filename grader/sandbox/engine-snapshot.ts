/**
 * A copy of a QuickJS engine's WebAssembly memory, taken once a submission is set up in it, that every
 * execution starts from: restoring it puts back every object, the runtime's counters and the
 * allocator's own state, so no execution can see what another did, and none pays for parsing the code
 * or setting up the globals again (a fresh runtime and context per execution cost about 2 ms of the
 * 3.5 ms an execution took).
 *
 * Emscripten lays the memory out as static data, then the C stack, then the heap. Only the statics
 * and the heap are copied:
 *  - The stack is dead between calls into the engine (each call returns with the stack pointer back at
 *    its top), so what an execution left there is never read. It is 5 MiB, most of the memory in use.
 *  - The heap is copied up to its end, found by allocating a block larger than any the set-up freed:
 *    the allocator takes it from the top, above everything live. Above that end lies free space, and
 *    both the allocator and QuickJS clear what they hand out, so what an execution left there is never
 *    read either.
 * Where the layout cannot be read from the binary, the whole memory below the heap's end is copied:
 * slower, never wrong.
 *
 * Pure: knows nothing of Node; engine-host.ts calls it.
 */

/** What is needed of the Emscripten module under the engine: its allocator. */
export interface EngineHeap {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

/** Where the statics end and the stack lies, read from the WebAssembly binary. */
export interface MemoryLayout {
  /** End of the initialized static data. */
  dataEnd: number;
  /** Top of the C stack (the stack pointer's initial value), where the heap begins. */
  stackTop: number;
}

interface Segment {
  offset: number;
  bytes: Uint8Array;
}

export interface Snapshot {
  segments: Segment[];
  /** Bytes copied back for each execution. */
  size: number;
}

/**
 * Zero-initialized statics (the bss) follow the initialized data; QuickJS's are a few KiB. Everything
 * from the end of the data to this far past it is copied, the stack above it is not.
 */
const STATICS_ALLOWANCE = 64 * 1024;

/** Larger than any block the set-up frees (parsing a 200 KB module frees well under a MiB at once). */
const HEAP_PROBE_BYTES = 4 * 1024 * 1024;

export function takeSnapshot(
  memory: WebAssembly.Memory,
  heap: EngineHeap | undefined,
  layout: MemoryLayout | undefined,
): Snapshot {
  const probe = heap?._malloc(HEAP_PROBE_BYTES) ?? 0;
  if (probe !== 0) heap?._free(probe);
  const heapEnd = probe !== 0 ? probe : memory.buffer.byteLength;
  const copy = (from: number, to: number): Segment => ({
    offset: from,
    bytes: new Uint8Array(memory.buffer, from, to - from).slice(),
  });
  const staticsEnd = layout ? layout.dataEnd + STATICS_ALLOWANCE : 0;
  const segments =
    layout && staticsEnd < layout.stackTop && layout.stackTop < heapEnd
      ? [copy(0, staticsEnd), copy(layout.stackTop, heapEnd)]
      : [copy(0, heapEnd)];
  return { segments, size: segments.reduce((sum, segment) => sum + segment.bytes.length, 0) };
}

export function restoreSnapshot(memory: WebAssembly.Memory, snapshot: Snapshot): void {
  const bytes = new Uint8Array(memory.buffer);
  for (const segment of snapshot.segments) bytes.set(segment.bytes, segment.offset);
}

/**
 * Reads the layout from the binary: the end of its data segments, and the initial value of its first
 * global, which Emscripten makes the stack pointer. Undefined for anything it does not recognise.
 */
export function readMemoryLayout(wasm: Uint8Array): MemoryLayout | undefined {
  let at = 8;
  const unsigned = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = wasm[at++] ?? 0;
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0 || shift > 35) return result;
    }
  };
  const signed = (): number => {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = wasm[at++] ?? 0;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    return shift < 32 && byte & 0x40 ? result | (~0 << shift) : result;
  };
  const I32_CONST = 0x41;
  let stackTop: number | undefined;
  let dataEnd: number | undefined;
  while (at < wasm.length) {
    const section = wasm[at++];
    const length = unsigned();
    const end = at + length;
    if (section === 6 && stackTop === undefined) {
      // Global section: the first global's type (i32, mutable), then its constant initializer.
      unsigned();
      const [type, mutable, op] = [wasm[at], wasm[at + 1], wasm[at + 2]];
      at += 3;
      if (type === 0x7f && mutable === 1 && op === I32_CONST) stackTop = signed();
    } else if (section === 11) {
      // Data section: active segments at constant offsets in memory 0.
      const count = unsigned();
      let highest = 0;
      for (let index = 0; index < count; index++) {
        const flags = unsigned();
        if (flags === 1) return undefined;
        if (flags === 2) unsigned();
        if (wasm[at++] !== I32_CONST) return undefined;
        const offset = signed();
        at++; // end of the initializer expression
        const size = unsigned();
        at += size;
        highest = Math.max(highest, offset + size);
      }
      dataEnd = highest;
    }
    at = end;
  }
  return stackTop !== undefined && dataEnd !== undefined && dataEnd < stackTop ? { dataEnd, stackTop } : undefined;
}
