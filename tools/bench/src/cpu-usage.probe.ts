import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** Kernel clock ticks per second of /proc's CPU times; 100 on every Linux the bench runs on. */
const TICKS_PER_SECOND = 100;

/** CPU time of a process (user + system) in ticks, from /proc/<pid>/stat; undefined once it is gone. */
function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after its closing one are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** The pids of every process whose command name is `comm` (e.g. every Postgres backend). */
export function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === comm) pids.push(Number(entry));
    } catch {
      /* the process ended while the list was read */
    }
  }
  return pids;
}

/** Busy and total ticks of all cores together, from the first line of /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle and iowait
  return { busy: total - idle, total };
}

/** CPU used over a measurement, in % of one core (200 % is both cores of a 2-core machine busy). */
export type CpuUsage = Record<string, number>;

export const MACHINE = "whole machine";

/**
 * Measures the CPU each named group of processes used between start and stop. A group is a
 * set of pids, e.g. one service, or every Postgres backend. Shows where the cores went, and
 * how much of them other work on the machine took.
 */
export function startCpuMeter(groups: Readonly<Record<string, ReadonlyArray<number | undefined>>>): () => CpuUsage {
  const sum = (pids: ReadonlyArray<number | undefined>) =>
    pids.reduce<number>((total, pid) => total + (pid === undefined ? 0 : (processTicks(pid) ?? 0)), 0);
  const before = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, sum(pids)]));
  const machineBefore = machineTicks();
  const startedAt = performance.now();
  return () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const usage: CpuUsage = {};
    for (const [name, pids] of Object.entries(groups)) {
      // A process that ended meanwhile takes its ticks with it; never report less than nothing.
      usage[name] = Math.max(0, ((sum(pids) - (before[name] ?? 0)) / TICKS_PER_SECOND / seconds) * 100);
    }
    const machineAfter = machineTicks();
    const cores = (machineAfter.total - machineBefore.total) / TICKS_PER_SECOND / seconds;
    const busyShare = (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total);
    usage[MACHINE] = busyShare * cores * 100;
    return usage;
  };
}

/** What the machine spent beyond the measured groups: other work sharing the cores, and the kernel's share of ours. */
export function otherWork(usage: CpuUsage): number {
  const measured = Object.entries(usage)
    .filter(([name]) => name !== MACHINE)
    .reduce((sum, [, value]) => sum + value, 0);
  return Math.max(0, (usage[MACHINE] ?? 0) - measured);
}
