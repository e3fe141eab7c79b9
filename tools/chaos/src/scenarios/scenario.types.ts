import type { ChaosConfig } from "../chaos.config.js";
import type { ChaosStack } from "../harness/chaos-stack.runner.js";
import type { Counts, EffectMemory } from "../ledger/scenario.tally.js";

export interface ScenarioContext {
  config: ChaosConfig;
  chaos: ChaosStack;
  memory: EffectMemory;
  random: () => number;
  progress(line: string): void;
}

export interface ScenarioOutcome {
  number: number;
  title: string;
  /** The sizes used, e.g. "10,000 webhooks at 200/s from 2,500 numbers". */
  sizes: string;
  counts: Counts;
  /** What each non-zero count consists of, and figures worth knowing (kills, waits). */
  details: string[];
}

export interface Scenario {
  number: number;
  title: string;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

/** Whether every count of the row is as it must be. */
export function countsAreClean(counts: Counts): boolean {
  return counts.lost === 0 && counts.duplicated === 0 && counts.unexpected === 0;
}
