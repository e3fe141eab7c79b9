import { performance } from "node:perf_hooks";
import { assertInfrastructureReachable, runHarness, type CleanupRegistry } from "@sms-todo/testkit";
import { loadChaosConfig, USAGE, wantsHelp, type ChaosConfig } from "./chaos.config.js";
import { startChaosStack } from "./harness/chaos-stack.runner.js";
import { seededRandom } from "./harness/seeded.random.js";
import { textTokenOf } from "./ledger/message.ledger.js";
import { EffectMemory } from "./ledger/scenario.tally.js";
import { formatLogScan, formatScenario, formatSummary } from "./report/chaos-report.formatter.js";
import { brokerOutageScenario } from "./scenarios/broker-outage.scenario.js";
import { forgedWebhookScenario } from "./scenarios/forged-webhook.scenario.js";
import { networkFaultScenario } from "./scenarios/network-fault.scenario.js";
import { poisonMessageScenario } from "./scenarios/poison-message.scenario.js";
import { postgresOutageScenario } from "./scenarios/postgres-outage.scenario.js";
import { countsAreClean, type Scenario, type ScenarioOutcome } from "./scenarios/scenario.types.js";
import { webhookReplayScenario } from "./scenarios/webhook-replay.scenario.js";
import { workerKillScenario } from "./scenarios/worker-kill.scenario.js";

/**
 * `npm run test:chaos`: the reliability and security scenarios of SPEC section 6 against the
 * five built services, each its own process as `npm start` runs them. Prints a row per scenario
 * (sent, acknowledged, lost, duplicated, unexpected), then a log scan of every line the
 * processes printed and a summary table; exits 1 when any count is off. Everything it creates
 * (processes, databases, queues, Redis keys) is removed at the end, after an error and on Ctrl-C.
 */

const SCENARIOS: readonly Scenario[] = [
  brokerOutageScenario,
  workerKillScenario,
  postgresOutageScenario,
  webhookReplayScenario,
  poisonMessageScenario,
  networkFaultScenario,
  forgedWebhookScenario,
];

function progress(line: string): void {
  process.stdout.write(`chaos: ${line}\n`);
}

async function run(config: ChaosConfig, cleanup: CleanupRegistry): Promise<number> {
  const startedAt = performance.now();
  await assertInfrastructureReachable();
  const random = seededRandom(config.seed);
  progress(`seed ${config.seed} (repeat this run's random choices with --seed=${config.seed})`);
  progress("starting the five services behind fault proxies");
  const chaos = await startChaosStack(cleanup, config.logLevel, random);
  const memory = new EffectMemory();
  chaos.stack.twilio.onSms((sms) => {
    const token = textTokenOf(sms.body);
    const owner = token === undefined ? undefined : memory.entryOf(token);
    if (owner) owner.entry.repliedAt ??= performance.now();
  });

  const outcomes: ScenarioOutcome[] = [];
  const failures: string[] = [];
  for (const scenario of SCENARIOS.filter((candidate) => config.scenarios.has(candidate.number))) {
    const scenarioStartedAt = performance.now();
    try {
      const outcome = await scenario.run({ config, chaos, memory, random, progress });
      outcome.details.push(`took ${((performance.now() - scenarioStartedAt) / 1000).toFixed(0)} s`);
      outcomes.push(outcome);
      process.stdout.write(`\n${formatScenario(outcome)}\n\n`);
    } catch (error) {
      // A broken harness or stack makes every later count meaningless: stop here, but still scan the logs.
      failures.push(`scenario ${scenario.number}: ${(error as Error).stack ?? String(error)}`);
      break;
    }
  }
  process.stdout.write(`${formatLogScan(chaos.leaks)}\n\n${formatSummary(outcomes, chaos.leaks, failures)}\n\n`);
  const clean =
    failures.length === 0 && chaos.leaks.findings === 0 && outcomes.every((outcome) => countsAreClean(outcome.counts));
  progress(
    `${clean ? "every count as it must be" : "some counts are off"}; ${((performance.now() - startedAt) / 1000).toFixed(0)} s in all`,
  );
  return clean ? 0 : 1;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config: ChaosConfig;
  try {
    config = loadChaosConfig(argv, process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  return runHarness("chaos", (cleanup) => run(config, cleanup));
}

process.exit(await main());
