// The lock is the one GitHub exchange before traffic moves: on a GitHub that accepts a request and
// never answers, taking it costs one call of LOCK_CALL_TIMEOUT_MS, for every traffic action that
// takes it (blue-green-switch and canary-step both come through takeEnvironmentLock), then the run
// goes on without it. canary-step once gave each lock call a record's 20 s.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { LOCK_CALL_TIMEOUT_MS, takeEnvironmentLock } from './lock-steps.js';

const held: IncomingMessage[] = [];
const silent = createServer((request) => held.push(request)); // reads each request, never answers
beforeAll(async () => {
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  vi.stubEnv('GITHUB_API_URL', `http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
  vi.stubEnv('GITHUB_REPOSITORY', 'octo-org/app');
  vi.stubEnv('GITHUB_RUN_ID', '4242');
  vi.stubEnv('GITHUB_EVENT_PATH', '');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

it('gives a silent GitHub one lock call of 5 s, then goes on without the lock', async () => {
  expect(LOCK_CALL_TIMEOUT_MS).toBe(5_000);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const taken = await takeEnvironmentLock('ghs_silent', 'production', 'canary-step', 3_600_000);
    expect(taken.lock).toBeUndefined();
    expect(taken.note).toBe(
      'the production lock could not be taken: GitHub POST /repos/{owner}/{repo}/git/refs: not done within 5 s (retries and waits included); went on without it',
    );
    // Taking a lock starts by creating its branch (lock.ts); a silent GitHub gets that one call.
    expect(held.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /repos/octo-org/app/git/refs']);
  } finally {
    write.mockRestore();
  }
}, 30_000);
