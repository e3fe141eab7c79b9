/**
 * A small seeded generator (mulberry32): the same seed gives the same kill moments, latencies
 * and choices, so a run that found something can be repeated with --seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A number drawn uniformly from [min, max). */
export function between(random: () => number, min: number, max: number): number {
  return min + random() * (max - min);
}
