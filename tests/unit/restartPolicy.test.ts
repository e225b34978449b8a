// The client's restart policy for a crashed language server (client/src/restartPolicy.ts), on a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESTART_COMMAND_TITLE, RestartPolicy } from '../../client/src/restartPolicy';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('restart policy', () => {
  it('restarts up to the limit, numbering each attempt, then gives up with the restart command', () => {
    const c = clock();
    const policy = new RestartPolicy(3, 60_000, c.now);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const d = policy.onClosed();
      assert.equal(d.restart, true);
      assert.equal(d.attempt, attempt);
      assert.equal(d.message, `言語サーバーが停止したため再起動します（${attempt}/3）`);
      c.advance(1_000);
    }
    assert.equal(policy.gaveUp, false);
    const last = policy.onClosed();
    assert.equal(last.restart, false);
    assert.equal(policy.gaveUp, true);
    assert.match(last.message, /1分以内に4回停止したため、自動での再起動を中止しました/);
    assert.ok(last.message.includes(`「${RESTART_COMMAND_TITLE}」`), last.message);
    assert.ok(last.message.includes('「Kijun: ログを表示」'), last.message);
  });

  it('forgets restarts that left the window, so a server crashing rarely is always restarted', () => {
    const c = clock();
    const policy = new RestartPolicy(2, 60_000, c.now);
    for (let i = 0; i < 10; i++) {
      assert.equal(policy.onClosed().restart, true, `crash ${i + 1}`);
      c.advance(40_000);
    }
    // Two crashes 40 s apart are inside the window; the one before them is not.
    assert.equal(policy.recentRestarts, 1);
  });

  it('counts crashes inside a sliding window, not since start', () => {
    const c = clock();
    const policy = new RestartPolicy(2, 60_000, c.now);
    assert.equal(policy.onClosed().attempt, 1);
    c.advance(50_000);
    assert.equal(policy.onClosed().attempt, 2);
    // The first restart is exactly one window old now: it no longer counts.
    c.advance(10_000);
    const d = policy.onClosed();
    assert.deepEqual([d.restart, d.attempt], [true, 2]);
    c.advance(1);
    assert.equal(policy.onClosed().restart, false);
  });

  it('stays stopped once it gave up, even when the window has passed, until the user restarts', () => {
    const c = clock();
    const policy = new RestartPolicy(1, 60_000, c.now);
    assert.equal(policy.onClosed().restart, true);
    assert.equal(policy.onClosed().restart, false);
    c.advance(10 * 60_000);
    assert.equal(policy.onClosed().restart, false, 'a close after giving up does not restart by itself');
    policy.reset();
    assert.equal(policy.gaveUp, false);
    assert.equal(policy.recentRestarts, 0);
    const d = policy.onClosed();
    assert.deepEqual([d.restart, d.attempt], [true, 1]);
  });

  it('with no restarts allowed, gives up on the first crash', () => {
    const policy = new RestartPolicy(0, 60_000, clock().now);
    const d = policy.onClosed();
    assert.equal(d.restart, false);
    assert.match(d.message, /1回停止/);
  });

  it('defaults to 4 restarts in 3 minutes and rejects nonsense limits', () => {
    const policy = new RestartPolicy();
    assert.deepEqual([policy.maxRestarts, policy.windowMs], [4, 180_000]);
    assert.throws(() => new RestartPolicy(-1), RangeError);
    assert.throws(() => new RestartPolicy(1.5), RangeError);
    assert.throws(() => new RestartPolicy(1, 0), RangeError);
    assert.throws(() => new RestartPolicy(1, Number.NaN), RangeError);
  });
});
