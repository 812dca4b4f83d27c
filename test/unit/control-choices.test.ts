import assert from 'node:assert/strict';
import fs from 'node:fs';
import { APPROVAL_POLICIES, SANDBOXES } from '../../extension/session/control-choices';

/** The palette pickers and the settings explain each value with the same sentence. */
describe('approval policy and sandbox explanations (issue 13)', () => {
  const props = JSON.parse(fs.readFileSync('package.json', 'utf8')).contributes.configuration.properties;
  const described = (key: string) => Object.fromEntries((props[key].enum as string[]).map((v, i) => [v, props[key].enumDescriptions[i] as string]));

  it('package.json enumDescriptions say what the pickers say', () => {
    const approval = described('codexManager.approvalPolicy');
    for (const [value, text] of Object.entries(APPROVAL_POLICIES)) assert.equal(approval[value], text, value);
    const sandbox = described('codexManager.defaultSandbox');
    for (const [value, text] of Object.entries(SANDBOXES)) assert.equal(sandbox[value], text, value);
  });
});
