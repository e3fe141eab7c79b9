/**
 * The shapes of the time module: the user's time words as they travel from command to
 * todo-domain, and the due (and repeat rule) todo-domain reads them into.
 */

/** The user's own words for when, as sent from command to todo-domain. Both optional; at least one set when present. */
export interface TimingWords {
  readonly when?: string;
  readonly every?: string;
}

/** A todo text with its time words taken out. */
export interface TimedText {
  readonly text: string;
  readonly timing?: TimingWords;
}

/** When a todo is due, in the user's timezone. */
export interface Due {
  /** Local date, "YYYY-MM-DD". */
  readonly date: string;
  /** Local time "HH:MM" (24-hour), or null when only a date was said ("friday", "this weekend"). */
  readonly time: string | null;
  /** The instant of date+time in the timezone; null when time is null. */
  readonly at: Date | null;
  /**
   * True when the words were relative to the moment they were said ("in 20 minutes", "in 1h"):
   * such a due keeps its instant if the user later changes timezone; others keep their local
   * date and time.
   */
  readonly pinned: boolean;
}

/** A due, and for a recurring todo the RFC 5545 rule (without DTSTART), e.g. "FREQ=WEEKLY;BYDAY=MO". */
export interface Schedule {
  readonly due: Due;
  readonly rule: string | null;
}
