import { MAX_MEDIA_BYTES } from "../media/twilio-media.client.js";

/**
 * Every word transcribe says to a user: what the user reads when a voice note becomes no todo,
 * sent through todo-domain's RejectMessage.
 */
export const VOICE_NOTE_REPLIES = {
  /** whisper stayed unavailable through every retry. */
  textInstead: "Sorry, I couldn't transcribe your voice note right now. Please text your todo instead.",
  /** whisper (ffmpeg) could not decode the audio. */
  undecodable:
    "Sorry, I couldn't play that voice note: the audio seems damaged or in a format I can't read. Please text your todo.",
  /** The transcript held no words. */
  nothingHeard: "I couldn't hear any words in that voice note. Please try again or text your todo.",
  tooLarge: `That voice note is too long for me (${MAX_MEDIA_BYTES / (1024 * 1024)} MB at most). Please send a shorter one or text your todo.`,
  notAudio: "I can only read voice notes and text messages. Please text your todo.",
  /** Twilio no longer had the media, refused us, or the URL was not Twilio media of this account. */
  cannotFetch: "Sorry, I couldn't download that voice note. Please send it again or text your todo.",
  /** This deployment has no Twilio credentials, so media cannot be downloaded. */
  notSetUp: "Voice notes aren't set up for this number yet. Please text your todo instead.",
} as const;
