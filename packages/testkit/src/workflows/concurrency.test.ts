import { describe, expect, it } from 'vitest';
import { ConcurrencyGroups, type Holder } from './concurrency.js';

const run = (id: number): Holder => ({ id: String(id), run: id, kind: 'workflow' });
const job = (id: number, name: string): Holder => ({ id: `${id}/${name}`, run: id, kind: 'job' });
const superseded = "Canceling since a higher priority waiting request for 'deploy' exists";

describe('concurrency groups', () => {
  it('one running, one pending: a third request cancels the pending second, and starts when the first is done', () => {
    const groups = new ConcurrencyGroups();
    expect(groups.request(run(1), 'deploy', false)).toEqual([{ action: 'start', holder: run(1), group: 'deploy' }]);
    expect(groups.request(run(2), 'deploy', false)).toEqual([{ action: 'wait', holder: run(2), group: 'deploy', behind: run(1) }]);
    expect(groups.request(run(3), 'Deploy', false)).toEqual([
      { action: 'cancel', holder: run(2), group: 'deploy', reason: superseded },
      { action: 'wait', holder: run(3), group: 'deploy', behind: run(1) },
    ]);
    expect(groups.snapshot()).toEqual({ deploy: { running: '1', pending: '3' } });
    expect(groups.release(run(1))).toEqual([{ action: 'start', holder: run(3), group: 'deploy' }]);
    expect(groups.release(run(3))).toEqual([]);
    expect(groups.snapshot()).toEqual({});
  });

  it('cancel-in-progress cancels the running one once; the new one starts when it has finished cancelling', () => {
    const groups = new ConcurrencyGroups();
    groups.request(run(1), 'deploy', true);
    expect(groups.request(run(2), 'deploy', true)).toEqual([
      { action: 'wait', holder: run(2), group: 'deploy', behind: run(1) },
      { action: 'cancel', holder: run(1), group: 'deploy', reason: superseded },
    ]);
    expect(groups.request(run(3), 'deploy', true)).toEqual([
      { action: 'cancel', holder: run(2), group: 'deploy', reason: superseded },
      { action: 'wait', holder: run(3), group: 'deploy', behind: run(1) },
    ]);
    expect(groups.release(run(1))).toEqual([{ action: 'start', holder: run(3), group: 'deploy' }]);
  });

  it('workflow and job groups share one namespace; a job asking for its own workflow group is a deadlock', () => {
    const groups = new ConcurrencyGroups();
    groups.request(run(1), 'deploy', false);
    expect(groups.request(job(2, 'production'), 'deploy', false)).toEqual([{ action: 'wait', holder: job(2, 'production'), group: 'deploy', behind: run(1) }]);
    expect(groups.request(job(1, 'production'), 'deploy', false)).toEqual([
      {
        action: 'cancel',
        holder: job(1, 'production'),
        group: 'deploy',
        reason: "Canceling since a deadlock for concurrency group 'deploy' was detected between 'top level workflow' and 'production'",
      },
    ]);
  });

  it('a pending holder that goes away frees its place', () => {
    const groups = new ConcurrencyGroups();
    groups.request(run(1), 'deploy', false);
    groups.request(run(2), 'deploy', false);
    expect(groups.release(run(2))).toEqual([]);
    expect(groups.release(run(1))).toEqual([]);
    expect(groups.snapshot()).toEqual({});
  });
});
