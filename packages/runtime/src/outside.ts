/**
 * Text from outside (a server's answer, a program's output, a report, a record on GitHub) as it
 * may be logged: no line of it can be read by the runner as a workflow command.
 *
 * The runner reads a command in two forms (actions/runner, src/Runner.Worker/ActionCommand.cs):
 * `::name ...::data` at the start of a line after leading blanks (.NET's TrimStart: any Unicode
 * white space), and the older `##[name ...]data` anywhere in a line. Lines end at \n, \r or \r\n.
 * So a line that starts, after blanks, with `::` gets `› ` in front (a visible mark, the same one
 * migration-check's log uses; a blank would be trimmed), and every `##[` becomes `# #[`. That covers
 * `::stop-commands::` and `##[stop-commands]` too: text from outside can never stop, nor resume,
 * the runner's reading of commands. The text is otherwise unchanged, so it stays readable.
 *
 * What goes through core.error, core.warning, core.notice or core.setFailed is safe already: the
 * toolkit writes it as the data of one command line (new lines escaped as %0A). core.info and
 * core.debug... write raw lines: text from outside goes through `outside` before them.
 */
// Blanks as .NET's TrimStart sees them, and a few it does not (harmless to mark more lines).
const LINE_START_COMMAND = /(^|\r\n|\r|\n)((?:[^\S\r\n]|[\u0085\u180E\u200B])*)(?=::)/g;

export function outside(text: string): string {
  return text.replace(/##\[/g, '# #[').replace(LINE_START_COMMAND, '$1› $2');
}
