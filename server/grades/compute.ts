/**
 * The final-score arithmetic, pure so it can be tested and reused without a database:
 * final = clamp(auto + manual - latePenalty, 0, max), unless an override sets it outright.
 */
import type { ManualRubricItem } from "../../grader/exercises";
import { roundPoints } from "../../grader/result";

export interface AppliedItemInput {
  itemId: string;
}

export interface ScoreInputs {
  auto: number;
  max: number;
  latePenalty: number;
  /** Items applied to the submission; points come from `definitions`, never from storage. */
  applied: readonly AppliedItemInput[];
  definitions: readonly ManualRubricItem[];
  override?: { score: number; reason: string };
}

export interface ScoreOutcome {
  manual: number;
  final: number;
  /** Applied items the manifest no longer defines: they count 0 and staff should look at them. */
  unknownItems: string[];
}

export function clampScore(score: number, max: number): number {
  return roundPoints(Math.min(max, Math.max(0, score)));
}

export function computeFinal(inputs: ScoreInputs): ScoreOutcome {
  const byId = new Map(inputs.definitions.map((d) => [d.id, d]));
  let manual = 0;
  const unknownItems: string[] = [];
  for (const a of inputs.applied) {
    const def = byId.get(a.itemId);
    if (def) manual += def.points;
    else unknownItems.push(a.itemId);
  }
  manual = roundPoints(manual);
  const final = inputs.override
    ? clampScore(inputs.override.score, inputs.max)
    : clampScore(inputs.auto + manual - inputs.latePenalty, inputs.max);
  return { manual, final, unknownItems };
}
