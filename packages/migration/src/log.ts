/**
 * Text from outside (SQL, server errors, file names) in the log: a line that the runner would
 * read as a workflow command (`::error::`, or the older `##[error]`, after leading blanks) is
 * shown behind a marker instead, so a migration or an error message can never issue one.
 */
import { outside } from '@cutover/runtime';

export function safeLine(text: string): string {
  // The runner reads `##[` anywhere in a line, and \r alone ends a line: runtime's outside() covers both.
  return outside(text);
}
