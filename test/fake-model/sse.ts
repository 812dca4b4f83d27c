// Server-sent-event framing and the OpenAI Responses API event shapes that
// codex 0.169 parses. Kept free of http so it can be unit tested directly.

/** One SSE frame: `event: <type>\ndata: <json>\n\n` (the type is repeated in the data, as OpenAI does). */
export function sseFrame(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Parses a text/event-stream body back into its data objects (for tests and the verify script). */
export function parseSse(body: string): Array<{ event: string; data: Record<string, unknown> }> {
  const out: Array<{ event: string; data: Record<string, unknown> }> = [];
  for (const block of body.split('\n\n')) {
    if (block.trim() === '') continue;
    let event = '';
    const dataLines: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice('event: '.length);
      else if (line.startsWith('data: ')) dataLines.push(line.slice('data: '.length));
    }
    out.push({ event, data: JSON.parse(dataLines.join('\n')) as Record<string, unknown> });
  }
  return out;
}

export const usage = {
  input_tokens: 10,
  input_tokens_details: null,
  output_tokens: 5,
  output_tokens_details: null,
  total_tokens: 15,
};

export const responseCreated = (responseId: string) =>
  sseFrame({ type: 'response.created', response: { id: responseId } });

export const responseCompleted = (responseId: string) =>
  sseFrame({ type: 'response.completed', response: { id: responseId, usage } });

/** A failure reported inside a 200 stream; codex treats it as a fatal turn error. */
export const responseFailed = (responseId: string, code: string, message: string) =>
  sseFrame({ type: 'response.failed', response: { id: responseId, error: { code, message } } });

// Codex drops text deltas that arrive without a preceding output_item.added for the
// same item, so a message is always added -> deltas -> done.
export const messageAdded = (outputIndex: number, itemId: string) =>
  sseFrame({
    type: 'response.output_item.added',
    output_index: outputIndex,
    item: { type: 'message', role: 'assistant', id: itemId, content: [] },
  });

export const textDelta = (outputIndex: number, itemId: string, delta: string) =>
  sseFrame({
    type: 'response.output_text.delta',
    item_id: itemId,
    output_index: outputIndex,
    content_index: 0,
    delta,
  });

export const messageDone = (outputIndex: number, itemId: string, text: string) =>
  sseFrame({
    type: 'response.output_item.done',
    output_index: outputIndex,
    item: {
      type: 'message',
      role: 'assistant',
      id: itemId,
      content: [{ type: 'output_text', text, annotations: [] }],
    },
  });

/** A complete function call; codex only acts on output_item.done, so no added/delta events are needed. */
export const functionCallDone = (outputIndex: number, callId: string, name: string, args: string) =>
  sseFrame({
    type: 'response.output_item.done',
    output_index: outputIndex,
    item: { type: 'function_call', id: `fc_${callId}`, call_id: callId, name, arguments: args },
  });
