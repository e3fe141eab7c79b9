/**
 * One counter of ingress' GET /metrics (Prometheus text), summed over its labels; 0 when ingress
 * does not have it.
 */
export async function readIngressCounter(origin: string, name: string): Promise<number> {
  const response = await fetch(`${origin}/metrics`);
  if (!response.ok) throw new Error(`ingress answered ${response.status} to GET /metrics`);
  let total = 0;
  for (const line of (await response.text()).split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(" ").at(-1));
  }
  return total;
}
