/** How much of a transcript the reply quotes, "…" included. */
export const HEARD_EXCERPT_LENGTH = 100;

/**
 * The "Heard: …" part of a voice-note reply: enough of the transcript for the user to spot
 * a mishearing, cut at a word boundary so no word is shown half.
 */
export function heardExcerpt(transcript: string, maxLength = HEARD_EXCERPT_LENGTH): string {
  const text = transcript.replace(/\s+/g, " ").trim();
  if (text.length <= maxLength) return text;
  const room = text.slice(0, maxLength); // one character is left for "…" below
  const lastSpace = room.lastIndexOf(" ");
  // A single word longer than the room is cut inside the word rather than dropped.
  const cut = lastSpace > 0 ? room.slice(0, lastSpace) : room.slice(0, maxLength - 1);
  return `${cut.replace(/[\s,;:.!?-]+$/u, "")}…`;
}
