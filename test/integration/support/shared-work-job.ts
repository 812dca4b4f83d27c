/** The test job type the multi-bridge test's bridges share (see bullmq-bridge-child.ts). */
import { z } from 'zod';
import type { JobDefinition } from '../../../server/queue';

const Payload = z.object({ n: z.number().int() });

/** A job any bridge can run: a short piece of work (a tenth of a second) that reports progress. */
export const sharedWork = (bridgeId: string): JobDefinition<z.infer<typeof Payload>> => ({
  type: 'shared_work', version: 1, priority: 'background', payloadSchema: Payload,
  dedupe: { mode: 'none', key: () => null },
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, jitter: true },
  timeoutMs: 30_000, cancel: { strategy: 'mark_canceled', gracefulWaitMs: 100 },
  run: async (ctx, payload) => {
    ctx.progress({ phase: 'working' });
    await new Promise((r) => setTimeout(r, 100));
    return { n: payload.n, ranOn: bridgeId };
  },
});

