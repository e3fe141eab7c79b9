/**
 * The made-up Twilio account `npm start` uses when no real credentials are configured:
 * a local Twilio stand-in receives the replies and `npm run phone` signs with the same token.
 */
export const LOCAL_TWILIO = {
  accountSid: `AC${"0".repeat(32)}`,
  authToken: "local-development-auth-token",
  from: "+15005550006",
  apiBaseUrl: "http://127.0.0.1:3010",
  port: 3010,
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
    apiBaseUrl: env.TWILIO_API_BASE_URL || LOCAL_TWILIO.apiBaseUrl,
    local: !env.TWILIO_API_BASE_URL,
  };
}
