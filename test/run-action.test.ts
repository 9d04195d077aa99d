// The test kit's runAction behaves as the runner: defaults, hyphenated inputs, files, post step.
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '@cutover/testkit';

// A tiny action made for this test only, laid out as ours are (actions/<name> + dist/<name>).
const root = join(tmpdir(), `cutover-probe-${process.pid}`);
const name = join(root, 'actions', 'probe');
const actionDir = name;
const distDir = join(root, 'dist', 'probe');

const script = `
import { appendFileSync, readFileSync } from 'node:fs';
const isPost = process.env.STATE_started === 'yes';
const out = (k, v) => appendFileSync(process.env.GITHUB_OUTPUT, k + '<<EOF_X\\n' + v + '\\nEOF_X\\n');
if (!isPost) {
  appendFileSync(process.env.GITHUB_STATE, 'started=yes\\n');
  out('step-duration', process.env['INPUT_STEP-DURATION'] ?? 'unset');
  out('token', process.env.INPUT_TOKEN ?? 'unset');
  out('event', JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')).action ?? '');
  out('node', process.versions.node.split('.')[0]);
  out('multi', 'one\\ntwo');
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, '# hello\\n');
  console.log('::warning file=a.ts,line=3::careful%0Anow');
  if (process.env.INPUT_MODE === 'hang') { console.log('waiting'); setInterval(() => {}, 1000); }
  else if (process.env.INPUT_MODE === 'fail') { console.log('::error::broken'); process.exitCode = 1; }
} else {
  out('post-saw', process.env.STATE_started);
}
`;

async function makeProbe() {
  await mkdir(actionDir, { recursive: true });
  await mkdir(distDir, { recursive: true });
  await writeFile(
    join(actionDir, 'action.yml'),
    `name: probe\ndescription: probe\ninputs:\n  step-duration:\n    default: 1m\n  token:\n    default: \${{ github.token }}\n  mode:\n    default: ok\nruns:\n  using: node24\n  main: ../../dist/probe/index.js\n  post: ../../dist/probe/index.js\n`,
  );
  await writeFile(join(distDir, 'index.js'), script);
  await writeFile(join(distDir, 'package.json'), '{"type":"module"}');
}

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runAction', () => {
  it('passes defaults and inputs as the runner does, reads outputs, summary, commands, then runs post', async () => {
    await makeProbe();
    const run = await runAction(name, { inputs: { 'step-duration': '90s' }, event: { action: 'opened' }, token: 't0k' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ 'step-duration': '90s', token: 't0k', event: 'opened', node: '24', multi: 'one\ntwo' });
    expect(run.summary).toBe('# hello\n');
    expect(run.warnings).toEqual(['careful\nnow']);
    expect(run.commands[0]?.properties).toEqual({ file: 'a.ts', line: '3' });
    expect(run.state).toEqual({ started: 'yes' });
    expect(run.post?.outputs).toEqual({ 'post-saw': 'yes' });
  });

  it('refuses an input the action does not declare', async () => {
    await makeProbe();
    await expect(runAction(name, { inputs: { nope: 'x' } })).rejects.toThrow(/declares no input "nope"/);
  });

  it('reports a failing step and its errors', async () => {
    await makeProbe();
    const run = await runAction(name, { inputs: { mode: 'fail' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['broken']);
    expect(run.post).toBeUndefined();
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)('interrupts with %s mid-run and still runs the post step with the saved state', async (signal) => {
    await makeProbe();
    const run = await runAction(name, { inputs: { mode: 'hang' }, interrupt: { signal, whenStdout: 'waiting' } });
    expect(run.signal).toBe(signal);
    expect(run.exitCode).toBeNull();
    expect(run.post?.outputs).toEqual({ 'post-saw': 'yes' });
  });
});
