/**
 * Policies the tests and the bench grade: the reference that earns full marks, and the two classic
 * mistakes. Kept as YAML text, the form a student submits.
 */
export const REFERENCE_POLICY_YAML = `# Ramp in four steps, half an hour each, judging every five minutes after a five-minute warm-up.
steps: [1, 5, 25, 50, 100]
bakeMinutes: 30
warmupMinutes: 5
checkEveryMinutes: 5
metrics:
  # Errors, service-wide: a sequential test built for watching counts continuously.
  - metric: errorRate
    rule: { kind: sprt, alpha: 0.0001, beta: 0.05, minIncrease: 1 }
  # The same per city, to see a regression that a small city hides in the total.
  - metric: errorRate
    breakdown: city
    rule: { kind: sprt, alpha: 0.0001, beta: 0.05, minIncrease: 2 }
  # Tail latency, compared minute by minute as Kayenta does.
  - metric: latencyP99
    rule: { kind: mann-whitney, alpha: 0.001, minEffect: 0.15 }
`;

/** Straight to 100%, nothing watched. */
export const RECKLESS_POLICY_YAML = `steps: [100]
bakeMinutes: []
metrics: []
`;

/** A sensible ramp, but any difference at all in the error rate rolls back, from the first minute. */
export const TWITCHY_POLICY_YAML = `steps: [1, 5, 25, 50, 100]
bakeMinutes: 30
warmupMinutes: 1
metrics:
  - metric: errorRate
    rule: { kind: threshold, mode: absolute, max: 0 }
`;
