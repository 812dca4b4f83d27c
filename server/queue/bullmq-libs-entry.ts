/** The entry of dist/queue-libs.js: BullMQ and ioredis in one bundle, read only by bridges given --redis (see bullmq-libs.ts). */
import * as bullmq from 'bullmq';
import * as ioredis from 'ioredis';

export { bullmq, ioredis };
