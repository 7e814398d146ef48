/**
 * The simulation's only source of randomness: sfc32, seeded from integers through splitmix32 so nearby
 * seeds give unrelated streams. Every minute of a run gets its own stream (`streamFor`), which makes a
 * minute's numbers depend only on (seed, minute, ramp percent) and not on how many draws came before:
 * two policies that reach the same step at the same minute see the same world.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function sfc32(seed: number): Rng {
  const mix = splitmix32(seed);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = 1;
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  // The first outputs of sfc32 still carry the seed's structure; the reference implementation discards them.
  for (let i = 0; i < 12; i++) next();
  return { next };
}

/** Combines integers into one 32-bit seed (an FNV-style mix), for per-minute and per-scenario streams. */
export function combineSeeds(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  }
  return h >>> 0;
}

export function streamFor(seed: number, ...parts: number[]): Rng {
  return sfc32(combineSeeds(seed, ...parts));
}

/** Standard normal by Box–Muller (one of the pair is dropped: simplicity beats the saved draw here). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1], so the log is finite
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Binomial(n, p). Exact inversion while the expected count is small (where the shape matters most: a
 * handful of errors in a 1% arm), a rounded normal when both tails hold at least 30 expected events.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  const mean = n * p;
  if (mean < 30) {
    const q = 1 - p;
    const s = p / q;
    const a = (n + 1) * s;
    let r = Math.exp(n * Math.log(q));
    let u = rng.next();
    let k = 0;
    while (u > r && k < n) {
      u -= r;
      k++;
      r *= a / k - s;
    }
    return k;
  }
  const draw = Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(rng));
  return Math.min(n, Math.max(0, draw));
}

/** Poisson(lambda): exact by multiplication for small means, a rounded normal for large ones. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let prod = rng.next();
    while (prod > limit) {
      k++;
      prod *= rng.next();
    }
    return k;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
}
