import assert from 'node:assert/strict';
import { z } from 'zod';
describe('toolchain', () => {
  it('runs TypeScript tests', () => { assert.equal(z.string().parse('x'), 'x'); });
});
