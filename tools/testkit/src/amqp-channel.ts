import amqplib, { type Channel } from "amqplib";
import { testInfrastructure } from "./infrastructure.js";

/**
 * Runs `work` on a channel of a connection of its own to the test broker, beside any broker under
 * test, and closes the connection afterwards: for declaring, deleting, purging or counting queues.
 */
export async function withAmqpChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
  const connection = await amqplib.connect(testInfrastructure.amqpUrl);
  try {
    const channel = await connection.createChannel();
    const result = await work(channel);
    await channel.close();
    return result;
  } finally {
    await connection.close();
  }
}
