import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildOpenApiDocument } from '../../protocol/openapi';
import { OPERATIONS } from '../../protocol/operations';
import { BRIDGE_VERSION } from '../../server/version';

type Doc = { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: { 'application/json': { schema: object } } }> }>> };

describe('openapi.json', () => {
  const doc = buildOpenApiDocument(Object.values(OPERATIONS), { version: BRIDGE_VERSION }) as Doc;

  it('is generated from the operation table and checked in up to date (npm run generate:openapi)', () => {
    assert.equal(fs.readFileSync('openapi.json', 'utf8'), JSON.stringify(doc, null, 2) + '\n');
  });

  it('is OpenAPI 3.1 with every operation, each status documented with a schema', () => {
    assert.equal(doc.openapi, '3.1.0');
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    assert.deepEqual(ids.sort(), Object.keys(OPERATIONS).sort());
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const [status, r] of Object.entries(op.responses)) {
          assert.ok(r.content?.['application/json'].schema, `${op.operationId} ${status} has a schema`);
        }
        assert.ok(op.responses['401'] && op.responses['403'], `${op.operationId} documents auth failures`);
      }
    }
  });
});

describe('openapi.json references', () => {
  it('every $ref points at a defined component', () => {
    const text = fs.readFileSync('openapi.json', 'utf8');
    const doc = JSON.parse(text) as { components: { schemas: Record<string, unknown> } };
    const refs = [...text.matchAll(/"\$ref": "#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual([...new Set(refs)].filter((r) => !(r in doc.components.schemas)), []);
  });
});
