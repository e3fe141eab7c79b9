/** Fields every line has that the terminal prefix already shows or nobody needs there. */
const HIDDEN = new Set(["time", "level", "msg", "service", "pid", "hostname"]);

/** Turns a service's JSON log line into one readable terminal line; other text passes through. */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    const fields = Object.fromEntries(Object.entries(entry).filter(([key]) => !HIDDEN.has(key)));
    const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    return `${text(entry.time).slice(11, 23)} ${text(entry.level).toUpperCase().padEnd(5)} ${text(entry.msg)}${rest}`;
  } catch {
    return line;
  }
}
