import os from "node:os";

/** Where the figures were measured: absolute numbers mean little without it. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGigabytes: number;
  node: string;
  postgres: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine shows here. */
  loadAverage: [number, number, number];
  date: string;
}

export function describeMachine(postgresVersion: string): MachineInfo {
  const cpus = os.cpus();
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    ramGigabytes: os.totalmem() / 1024 ** 3,
    node: process.version,
    postgres: postgresVersion,
    loadAverage: [one, five, fifteen],
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}
