/**
 * Settles with `work`, or with what `onTimeout` returns (or throws) when `work` has not settled
 * within `ms`. The work itself goes on: a late result is dropped, and a late rejection counts as
 * handled. Once either settled the timer is cleared, so a finished call leaves no timer behind.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  }).then(onTimeout);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
