/**
 * SPEC section 1: the keywords that opt a number out of every text, or back in. Each counts only
 * as the whole message (spaces, punctuation and case aside); carriers and Twilio answer them, and
 * nothing else may reach a number that opted out.
 */
export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "REVOKE", "OPTOUT", "CANCEL"] as const;

export const OPT_IN_KEYWORDS = ["START", "UNSTOP", "YES"] as const;
