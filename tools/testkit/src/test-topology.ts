import { createTopology, deleteTopology, type Topology } from "@sms-todo/shared";
import { withAmqpChannel } from "./amqp-channel.js";
import { uniqueName } from "./unique-name.js";

export interface TestTopology {
  topology: Topology;
  /** The prefix, as SMS_TODO_NAMESPACE, for services started as processes. */
  namespace: string;
  /** Deletes every queue and exchange of this topology. */
  remove(): Promise<void>;
}

/** How a test may change its topology: fewer attempts, shorter back-off. Services started as processes use the defaults. */
export interface TopologyOverrides {
  deliveryLimit?: number;
  retryDelaysMs?: readonly number[];
}

/** A topology whose exchanges and queues carry a unique prefix, so test runs never share queues. */
export function createTestTopology(label = "t", overrides: TopologyOverrides = {}): TestTopology {
  const namespace = `${uniqueName(label)}.`;
  const defaults = createTopology(namespace);
  const topology: Topology = {
    ...defaults,
    deliveryLimit: overrides.deliveryLimit ?? defaults.deliveryLimit,
    retry: { ...defaults.retry, delaysMs: overrides.retryDelaysMs ?? defaults.retry.delaysMs },
  };
  return {
    topology,
    namespace,
    async remove() {
      await withAmqpChannel((channel) => deleteTopology(channel, topology));
    },
  };
}
