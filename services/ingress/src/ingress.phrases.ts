/** Every word ingress itself says to a user; everything else is answered by the notifier. */

/** The answer to the first message a number sends over its rate limit; plain words, so nothing needs escaping in TwiML. */
export function slowDownPhrase(limit: { limit: number; windowSeconds: number; retryAfterSeconds: number }): string {
  return (
    `Slow down: more than ${limit.limit} texts in ${limit.windowSeconds} seconds. ` +
    `Texts in the next ${limit.retryAfterSeconds} seconds are ignored.`
  );
}
