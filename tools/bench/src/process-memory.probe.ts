import { readFileSync } from "node:fs";

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); undefined once the process is gone. */
export function residentMegabytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** RSS of each named process at one moment, in MB. */
export type MemorySample = Record<string, number>;

export function sampleMemory(pids: Readonly<Record<string, number | undefined>>): MemorySample {
  const sample: MemorySample = {};
  for (const [name, pid] of Object.entries(pids)) {
    const megabytes = residentMegabytes(pid);
    if (megabytes !== undefined) sample[name] = megabytes;
  }
  return sample;
}

/** The largest value each process reached over several samples. */
export function peakMemory(samples: readonly MemorySample[]): MemorySample {
  const peak: MemorySample = {};
  for (const sample of samples) {
    for (const [name, megabytes] of Object.entries(sample)) peak[name] = Math.max(peak[name] ?? 0, megabytes);
  }
  return peak;
}

export function totalMegabytes(sample: MemorySample): number {
  return Object.values(sample).reduce((sum, megabytes) => sum + megabytes, 0);
}
