/**
 * Concurrency groups as GitHub documents them: per repository, one namespace for workflow- and
 * job-level groups, names without regard to case; at most one running and one pending holder per
 * group. A new request waits while another runs, and cancels the one already pending (GitHub:
 * "Canceling since a higher priority waiting request for '<group>' exists"); with
 * `cancel-in-progress` it also cancels the running one, and starts when that one has finished
 * cancelling. A job asking for its own workflow's group is a deadlock GitHub cancels.
 * Pure: requests and releases in, decisions out.
 */

export interface Holder {
  /** `1001` for a workflow run, `1001/deploy` for one of its jobs. */
  id: string;
  run: number;
  kind: 'workflow' | 'job';
}

export type ConcurrencyDecision =
  | { action: 'start'; holder: Holder; group: string }
  | { action: 'wait'; holder: Holder; group: string; behind: Holder }
  | { action: 'cancel'; holder: Holder; group: string; reason: string };

interface Group {
  name: string;
  running: Holder;
  runningCancelled: boolean;
  pending?: Holder;
}

export function supersededReason(group: string): string {
  return `Canceling since a higher priority waiting request for '${group}' exists`;
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();

  /** What happens when `holder` asks for `group`. */
  request(holder: Holder, group: string, cancelInProgress: boolean): ConcurrencyDecision[] {
    const key = group.toLowerCase();
    const current = this.groups.get(key);
    if (!current) {
      this.groups.set(key, { name: group, running: holder, runningCancelled: false });
      return [{ action: 'start', holder, group }];
    }
    if (holder.kind === 'job' && current.running.kind === 'workflow' && current.running.run === holder.run) {
      return [
        {
          action: 'cancel',
          holder,
          group,
          reason: `Canceling since a deadlock for concurrency group '${group}' was detected between 'top level workflow' and '${holder.id.split('/')[1]}'`,
        },
      ];
    }
    const decisions: ConcurrencyDecision[] = [];
    if (current.pending) decisions.push({ action: 'cancel', holder: current.pending, group: current.name, reason: supersededReason(current.name) });
    current.pending = holder;
    decisions.push({ action: 'wait', holder, group: current.name, behind: current.running });
    if (cancelInProgress && !current.runningCancelled) {
      current.runningCancelled = true;
      decisions.push({ action: 'cancel', holder: current.running, group: current.name, reason: supersededReason(current.name) });
    }
    return decisions;
  }

  /** `holder` finished (or was cancelled while pending): the pending one, if any, starts. */
  release(holder: Holder): ConcurrencyDecision[] {
    for (const [key, group] of this.groups) {
      if (group.pending?.id === holder.id) {
        delete group.pending;
        return [];
      }
      if (group.running.id !== holder.id) continue;
      if (!group.pending) {
        this.groups.delete(key);
        return [];
      }
      group.running = group.pending;
      group.runningCancelled = false;
      delete group.pending;
      return [{ action: 'start', holder: group.running, group: group.name }];
    }
    return [];
  }

  /** Each group with its running and pending holder ids, for tests and messages. */
  snapshot(): Record<string, { running: string; pending?: string }> {
    return Object.fromEntries(
      [...this.groups.values()].map((group) => [group.name, { running: group.running.id, ...(group.pending ? { pending: group.pending.id } : {}) }]),
    );
  }
}
