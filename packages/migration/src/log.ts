/**
 * Text from outside (SQL, server errors, file names) in the log: a line that the runner would
 * read as a workflow command (`::error::`, or the older `##[error]`, after leading blanks) is
 * shown behind a marker instead, so a migration or an error message can never issue one.
 */
export function safeLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (/^\s*(::|##\[)/.test(line) ? `› ${line}` : line))
    .join('\n');
}
