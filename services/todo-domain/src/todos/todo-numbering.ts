/**
 * The #N rule of SPEC section 1: an open todo keeps its number; new todos take the
 * lowest numbers no open todo holds, so numbers are reused only once closed.
 */
export function lowestFreeNumbers(taken: Iterable<number>, count: number): number[] {
  const used = new Set(taken);
  const free: number[] = [];
  for (let candidate = 1; free.length < count; candidate += 1) {
    if (!used.has(candidate)) free.push(candidate);
  }
  return free;
}
