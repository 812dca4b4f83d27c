// Writes openapi.json (checked in) from the operation table; `--check` exits 1 when the
// checked-in copy is stale. Run with: npm run generate:openapi
import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '../protocol/openapi';
import { OPERATIONS } from '../protocol/operations';
import { BRIDGE_VERSION } from '../server/version';

const file = path.resolve(__dirname, '..', 'openapi.json');
const text = JSON.stringify(buildOpenApiDocument(Object.values(OPERATIONS), { version: BRIDGE_VERSION }), null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    console.error('openapi.json is stale: run `npm run generate:openapi`');
    process.exit(1);
  }
  console.log('openapi.json is up to date');
} else {
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(OPERATIONS).length} operations)`);
}
