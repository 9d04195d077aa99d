const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Joins argv into one POSIX shell command line that a remote shell (ssh) splits back into exactly
 * these words: anything not plainly safe is single-quoted, with ' written as '\''.
 */
export function shellQuote(argv: string[]): string {
  return argv.map((arg) => (SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
