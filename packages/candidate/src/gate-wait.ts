/**
 * Waiting for the gate: look at its check runs until it passed (build), failed (refuse at once) or
 * gate-timeout passed (refuse naming the check). The decisions and the pace are gate.ts's.
 */
import * as core from '@actions/core';
import { formatDuration } from '@cutover/config';
import type { GitHubClient, RepoRef } from '@cutover/github';
import { gatePollDelayMs, gateState, gateTimedOut, shouldLogWait } from './gate.js';
import type { GateRecord } from './manifest.js';
import { gateCheckRuns } from './releases.js';

export interface GateWait {
  gate: GateRecord;
  /** How long the gate was waited for (0 when it had passed already). */
  waitedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForGate(client: GitHubClient, repo: RepoRef, commit: string, gateName: string, timeoutMs: number): Promise<GateWait> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let logged: { waitingFor: string; at: number } | undefined;
  for (let poll = 0; ; poll++) {
    const state = gateState(await gateCheckRuns(client, repo, commit, gateName), gateName, commit);
    if (state.action === 'pass') return { gate: state.gate, waitedMs: Date.now() - started };
    if (state.action === 'refuse') throw new Error(state.reason);
    const now = Date.now();
    if (now >= deadline) throw new Error(gateTimedOut(state, gateName, commit, timeoutMs));
    if (shouldLogWait(logged, state.waitingFor, now)) {
      core.info(`Waiting for ${state.waitingFor}: ${formatDuration(now - started)} of gate-timeout ${formatDuration(timeoutMs)}.`);
      logged = { waitingFor: state.waitingFor, at: now };
    }
    // The last look is at the deadline itself, so a gate finishing just in time is seen.
    await sleep(Math.min(gatePollDelayMs(poll), deadline - now));
  }
}
