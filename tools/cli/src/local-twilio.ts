import { localTwilioPort, localWhisperPort } from "./local-ports.config.js";

/**
 * The made-up Twilio account `npm start` uses when no real credentials are configured:
 * a local Twilio stand-in receives the replies and `npm run phone` signs with the same token.
 */
export const LOCAL_TWILIO = {
  accountSid: `AC${"0".repeat(32)}`,
  authToken: "local-development-auth-token",
  from: "+15005550006",
} as const;

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string;
  /** True when the local stand-in plays Twilio. */
  local: boolean;
}

/** The configured Twilio account, or the local one when none is configured. */
export function twilioSettings(env: NodeJS.ProcessEnv): TwilioSettings {
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN) {
    return {
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiBaseUrl: env.TWILIO_API_BASE_URL || "https://api.twilio.com",
      local: false,
    };
  }
  return {
    accountSid: LOCAL_TWILIO.accountSid,
    authToken: LOCAL_TWILIO.authToken,
    apiBaseUrl: env.TWILIO_API_BASE_URL || `http://127.0.0.1:${localTwilioPort(env)}`,
    local: !env.TWILIO_API_BASE_URL,
  };
}

/**
 * The local whisper stand-in `npm start` runs when WHISPER_URL is not set: it decodes each voice
 * note with ffmpeg like whisper-server does and answers with the words `npm run phone` said the
 * file holds (`/voice FILE words`). Set WHISPER_URL to use a real whisper-server instead.
 */
export function localWhisperOrigin(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${localWhisperPort(env)}`;
}

/** Whether voice notes go to the local whisper stand-in (no WHISPER_URL configured). */
export function usesLocalWhisper(env: NodeJS.ProcessEnv): boolean {
  return !env.WHISPER_URL;
}
