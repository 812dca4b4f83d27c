// Writes cli/generated/commands.json (checked in) from the operation table; `--check`
// exits 1 when the checked-in copy is stale. Run with: npx tsx cli/generate.ts
import fs from 'node:fs';
import path from 'node:path';
import { OPERATIONS } from '../protocol/operations';
import { deriveManifest } from './derive';

export const MANIFEST_FILE = path.resolve(__dirname, 'generated', 'commands.json');

export function manifestText(): string {
  return JSON.stringify(deriveManifest(Object.values(OPERATIONS)), null, 1) + '\n';
}

if (require.main === module) {
  const text = manifestText();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(MANIFEST_FILE) ? fs.readFileSync(MANIFEST_FILE, 'utf8') : '';
    if (current !== text) {
      console.error('cli/generated/commands.json is stale: run `npx tsx cli/generate.ts`');
      process.exit(1);
    }
    console.log('cli/generated/commands.json is up to date');
  } else {
    fs.mkdirSync(path.dirname(MANIFEST_FILE), { recursive: true });
    fs.writeFileSync(MANIFEST_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), MANIFEST_FILE)} (${Object.keys(OPERATIONS).length} commands)`);
  }
}
