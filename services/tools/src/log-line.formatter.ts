/** Turns a service's JSON log line into one readable terminal line; other text passes through. */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const { time, level, msg, service: _service, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const clock = typeof time === "string" ? time.slice(11, 23) : "";
    const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    return `${clock} ${String(level ?? "").toUpperCase().padEnd(5)} ${String(msg ?? "")}${rest}`;
  } catch {
    return line;
  }
}
