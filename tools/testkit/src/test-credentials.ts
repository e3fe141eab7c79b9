/** Made-up Twilio credentials shared by the stand-ins and the services under test. */
export const TEST_TWILIO = {
  accountSid: `AC${"0".repeat(31)}1`,
  authToken: "test-auth-token-0123456789abcdef",
  from: "+15005550006",
  publicBaseUrl: "https://todo.example.test",
} as const;
