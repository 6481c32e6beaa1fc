import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeadlineExceeded, REQUEST_TIMEOUT_SECONDS, requestTimeoutMsOf, withDeadline } from '../../src/engine/deadline';

describe('request deadline', () => {
  const table: [unknown, number][] = [
    [undefined, 30_000],
    [null, 30_000],
    ['60', 30_000],
    [Number.POSITIVE_INFINITY, 30_000],
    [45, 45_000],
    [1, 5_000],
    [10_000, 300_000],
  ];
  for (const [seconds, ms] of table) {
    it(`outlook365.requestTimeoutSeconds = ${JSON.stringify(seconds) ?? 'undefined'} → ${ms} ms`, () =>
      assert.equal(requestTimeoutMsOf(seconds), ms));
  }

  it('the manifest declares the same default and bounds, in application scope (a workspace cannot change it)', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: {
        configuration: {
          properties: Record<string, { default: number; minimum: number; maximum: number; scope?: string }>;
        };
      };
    };
    const setting = manifest.contributes.configuration.properties['outlook365.requestTimeoutSeconds'];
    assert.deepEqual(
      { default: setting.default, min: setting.minimum, max: setting.maximum, scope: setting.scope },
      { ...REQUEST_TIMEOUT_SECONDS, scope: 'application' },
    );
  });

  it('work that ignores its aborted signal still ends at the deadline, with DeadlineExceeded', async () => {
    let aborted = false;
    const started = Date.now();
    const err = await withDeadline(50, undefined, (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => {});
    }).then(
      () => assert.fail('expected the deadline'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DeadlineExceeded);
    assert.equal(err.timeoutMs, 50);
    assert.ok(aborted, 'the work was told to stop');
    assert.ok(Date.now() - started < 2000);
  });

  it('a cancel by the caller is the caller’s error, not the deadline’s', async () => {
    const cancel = new AbortController();
    const promise = withDeadline(
      60_000,
      cancel.signal,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')))),
    );
    cancel.abort();
    await assert.rejects(promise, /cancelled/);
  });

  it('an answer in time is passed through', async () => {
    assert.equal(await withDeadline(60_000, undefined, async () => 'answer'), 'answer');
  });
});
