/**
 * What every service's createApp returns. `start` opens intake once everything it
 * needs is ready; `stop` closes intake, waits for in-flight work, then releases
 * connections, in that order.
 */
export interface App {
  start(): Promise<void>;
  stop(): Promise<void>;
}
