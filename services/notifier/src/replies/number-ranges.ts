/**
 * Numbers as a confirming text writes them: ascending, runs of three or more consecutive numbers
 * as a range. [1, 2, 3, 4, 7] is "1-4, 7"; [2, 3] is "2, 3". The command language reads these
 * texts back ("done 1-4, 7"), so the form here and the parser's must agree.
 */
export function numberRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end += 1;
    if (end - start >= 2) parts.push(`${sorted[start]}-${sorted[end]}`);
    else for (let index = start; index <= end; index += 1) parts.push(String(sorted[index]));
    start = end + 1;
  }
  return parts.join(", ");
}
