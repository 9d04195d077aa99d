/** A fleet's decisions, as pure functions: do its instances agree, and which of them failed. */
import { errorMessage, formatSplit, sameSplit, type Split } from '@cutover/config';

export interface InstanceSplit {
  name: string;
  split: Split;
}

/**
 * The split every instance reads, or, when they disagree (drift: one was changed by hand, or a
 * change reached only some), an error naming each instance's split. Nothing is planned from a
 * fleet whose instances serve different splits: which one would the change start from?
 */
export function agreedSplit(reads: readonly InstanceSplit[]): Split {
  const first = reads[0];
  if (!first) throw new Error('a fleet of no instances');
  if (reads.every((read) => sameSplit(read.split, first.split))) return first.split;
  const each = reads.map((read) => `${read.name} ${formatSplit(read.split)}`).join(', ');
  throw new Error(`the instances disagree (drift): ${each}; put them back in step before switching`);
}

/**
 * The outcome of one step run on every instance: the values in instance order, or one error naming
 * each instance that failed and why (the others' results are known and left to the caller's restore).
 */
export function settledAll<T>(names: readonly string[], settled: readonly PromiseSettledResult<T>[]): T[] {
  const failures = settled.flatMap((result, index) => (result.status === 'rejected' ? [`instance ${names[index]}: ${errorMessage(result.reason)}`] : []));
  if (failures.length > 0) throw new Error(failures.join('; '));
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** The pools every instance knows (for symlink instances, the releases present on all of their hosts). */
export function commonPools(lists: readonly string[][]): string[] {
  return lists.reduce((common, list) => common.filter((pool) => list.includes(pool)));
}
