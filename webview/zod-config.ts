import * as z from 'zod';

// zod compiles object parsers with `new Function` unless told not to; under the webview's
// CSP (no unsafe-eval) even its guarded probe is reported as a CSP violation on every
// load. This module is imported first by main.ts, before any schema is constructed
// (zod decides per schema at construction time).
z.config({ jitless: true });
