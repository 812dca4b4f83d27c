/**
 * BullMQ and ioredis, loaded only when a bridge runs the BullMQ engine. Together they are
 * three times the rest of the bridge, so in dist/ they are a bundle of their own
 * (dist/queue-libs.js, built from bullmq-libs-entry.ts) that an embedded-queue bridge never
 * reads; from sources they are the packages themselves.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';

export interface BullmqLibs {
  bullmq: typeof BullMQ;
  ioredis: typeof IORedis;
}

let loaded: BullmqLibs | undefined;

export function loadBullmqLibs(): BullmqLibs {
  if (loaded) return loaded;
  const bundled = path.join(__dirname, 'queue-libs.js');
  // In dist/ this module is part of dist/server.js, beside dist/queue-libs.js; the packages are external to the server bundle.
  // A synchronous, computed load is the point here (esbuild must not inline it), so require it is.
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded = fs.existsSync(bundled)
    ? (require(bundled) as BullmqLibs)
    : { bullmq: require('bullmq') as typeof BullMQ, ioredis: require('ioredis') as typeof IORedis };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}
