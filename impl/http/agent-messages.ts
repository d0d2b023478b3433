/**
 * The body of `POST /internal/agent/message` (docs/runtime-transport.md), shared by the master
 * that reads it and the agent that writes it: one internal message as `application/json`, or
 * several, in the order the agent sent them, as a JSON array under AGENT_MESSAGES_BATCH.
 *
 * The batch is what lets the agent's link send everything that queued behind a POST in flight in
 * the next one, instead of one round trip per message, while the master still handles the
 * messages in send order (Mesos's agent writes its messages back to back on one ordered
 * libprocess connection). A batch is accepted or refused whole: one message that does not decode
 * refuses them all (400 naming its index), so the master never handles a batch with a hole in it.
 */
import { decodeInternal, parseJsonText } from '../../spec/protocol/json.ts';
import type { InternalMessage } from '../../spec/protocol/internal.ts';

/** The media type of a batch: a JSON array of internal messages, handled in array order. */
export const AGENT_MESSAGES_BATCH = 'application/vnd.mesos-ref.agent-messages+json';

/**
 * Trace ids (impl/host.ts, `--trace`): a traced agent names the trace id of each message of a POST,
 * in order, in this header (an empty item for a message without one); a traced master puts the
 * id of a message it streams to an agent into this top-level field, which the agent takes off
 * before decoding the message. Untraced processes send neither; a process that gets them without
 * tracing ignores them.
 */
export const MESSAGE_IDS_HEADER = 'mesos-ref-message-ids';
export const MESSAGE_ID_FIELD = 'mesos_ref_message_id';

/** A batch body from messages already encoded by `encodeInternal` (each a JSON object's text). */
export function agentMessagesBatch(encoded: readonly string[]): string {
  return `[${encoded.join(',')}]`;
}

/** The messages of a body, in order (`batch`: its Content-Type was AGENT_MESSAGES_BATCH); or a 400's text saying which message and why. */
export function parseAgentMessages(batch: boolean, text: string): { ok: true; value: InternalMessage[] } | { ok: false; error: string } {
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, error: `Failed to parse body into JSON: ${json.error}` };
  if (!batch) {
    const one = decodeInternal(json.value);
    return one.ok ? { ok: true, value: [one.value] } : { ok: false, error: `Failed to convert JSON into an internal message: ${one.error}` };
  }
  if (!Array.isArray(json.value)) return { ok: false, error: `Expecting a JSON array of internal messages for ${AGENT_MESSAGES_BATCH}` };
  if (json.value.length === 0) return { ok: false, error: 'Expecting at least one internal message in the batch' };
  const messages: InternalMessage[] = [];
  for (const [i, item] of (json.value as unknown[]).entries()) {
    const one = decodeInternal(item);
    if (!one.ok) return { ok: false, error: `Failed to convert JSON into an internal message: messages[${i}]: ${one.error}` };
    messages.push(one.value);
  }
  return { ok: true, value: messages };
}
