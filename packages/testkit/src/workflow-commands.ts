/** Reads what an action wrote the way the runner does: file commands and `::command::` lines. */

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file: `name=value` lines and
 * `name<<DELIMITER` ... `DELIMITER` blocks, as @actions/core writes them.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++) body.push(lines[index]!);
      if (index >= lines.length) throw new Error(`file command ${name}: no closing delimiter ${delimiter}`);
      values[name!] = body.join('\n');
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`file command: cannot read line "${line}"`);
    values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** `::error file=a.ts,line=3::message` lines from stdout. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command, rawProperties, message] = match;
    const properties: Record<string, string> = {};
    for (const pair of (rawProperties ?? '').split(',').filter(Boolean)) {
      const equals = pair.indexOf('=');
      if (equals > 0) properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
    commands.push({ command: command!, properties, message: unescapeData(message ?? '') });
  }
  return commands;
}
