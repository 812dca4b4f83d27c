import assert from 'node:assert/strict';
import { IdleExit } from '../../server/lifecycle/idle-exit';

describe('IdleExit', () => {
  it('fires once, only after the bridge was unused for the whole period', () => {
    let inUse = true;
    let fired = 0;
    const idle = new IdleExit(1000, () => inUse, () => { fired++; });
    idle.check(0);
    inUse = false;
    idle.check(100);
    idle.check(900);
    assert.equal(fired, 0);
    inUse = true; // a window reconnected: the period starts over
    idle.check(1000);
    inUse = false;
    idle.check(1200);
    idle.check(2100);
    assert.equal(fired, 0);
    idle.check(2200);
    idle.check(5000);
    assert.equal(fired, 1);
    idle.dispose();
  });

  it('0 never exits', () => {
    let fired = false;
    const idle = new IdleExit(0, () => false, () => { fired = true; });
    idle.dispose();
    assert.equal(fired, false);
  });
});
