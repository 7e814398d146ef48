/**
 * `npm run bench`: runs each benchmark module in turn and prints its figures; `npm run bench -- queue`
 * runs only those whose name contains "queue". Add a benchmark by importing its function and adding
 * one line to BENCHMARKS.
 */
import { benchColdGrade } from "./cold-grade";
import { benchCodeGrading } from "./code-grading";
import { benchStructured } from "./structured";
import { benchQueueThroughput } from "./queue-throughput";
import { benchQueueRedis } from "./queue-redis";
import { benchTypecheck } from "./typecheck";
import { benchPages } from "./pages";
import { benchRolloutSim } from "./rollout-sim";

const BENCHMARKS: { name: string; run: () => Promise<void> }[] = [
  { name: "structured grading", run: () => benchStructured() },
  {
    name: "code grading, end to end (checkout-fallbacks, dark-launch-flag, functional-tests, gateway-fallbacks)",
    run: () => benchCodeGrading(),
  },
  { name: "grading queue burst", run: () => benchQueueThroughput() },
  { name: "grading queue on Redis: one and two worker processes beside SQLite", run: () => benchQueueRedis() },
  { name: "type warnings (checkout-fallbacks)", run: () => benchTypecheck() },
  { name: "cold flagship grade", run: () => benchColdGrade() },
  { name: "pages: a module page against /healthz", run: () => benchPages() },
  { name: "rollout policy over all hidden seeds (rollout-sim)", run: () => benchRolloutSim() },
];

const only = process.argv[2];
for (const bench of BENCHMARKS.filter((b) => !only || b.name.includes(only))) {
  console.log(`== ${bench.name}`);
  await bench.run();
}
