// Writes the generated parts of README.md: one section per action (intro and example from
// docs/actions/<name>.md, inputs and outputs from its action.yml) and the environment file
// reference (from the JSON Schema). `--check` fails when README.md is not what it would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentFileSchema } from '@cutover/config';

const root = new URL('..', import.meta.url).pathname;
export const ACTIONS = ['test-gate', 'build-candidate', 'blue-green-switch', 'canary-step', 'health-watch', 'rollback'];

interface ActionYaml {
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function defaultText(value: string | undefined, required: boolean | undefined): string {
  if (required) return 'required';
  if (value === undefined || value === '') return '';
  return `\`${value.split('\n').length > 1 ? `${value.split('\n')[0]} …` : value}\``;
}

function actionSection(name: string): string {
  const action = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;
  const doc = readFileSync(join(root, 'docs', 'actions', `${name}.md`), 'utf8');
  const intro = doc.split('```yaml')[0]!.replace(/^## .*\n+/, '').trim();
  const example = /```yaml\n[\s\S]*?```/.exec(doc)?.[0] ?? '';
  const inputs = Object.entries(action.inputs).map(([input, spec]) => `| \`${input}\` | ${defaultText(spec.default, spec.required)} | ${cell(spec.description)} |`);
  const outputs = Object.entries(action.outputs).map(([output, spec]) => `| \`${output}\` | ${cell(spec.description)} |`);
  return [
    `### ${name}`,
    '',
    intro,
    '',
    example,
    '',
    '| input | default | description |',
    '|---|---|---|',
    ...inputs,
    '',
    '| output | description |',
    '|---|---|',
    ...outputs,
    '',
    `More: [docs/actions/${name}.md](docs/actions/${name}.md).`,
    '',
  ].join('\n');
}

interface SchemaNode {
  type?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode & { anyOf?: SchemaNode[] };
  anyOf?: SchemaNode[];
  allOf?: { if: { properties: { kind: { const: string } } }; then: SchemaNode }[];
  required?: string[];
  pattern?: string;
}

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.join(' \\| ');
  if (node.const !== undefined) return String(node.const);
  if (node.type === 'array') return node.items?.type === 'string' ? 'list of strings' : 'list';
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.pattern?.includes('(ms|s|m|h)')) return 'duration';
  return node.type ?? 'mapping';
}

function rows(node: SchemaNode, path: string, out: string[], required = false, kind = ''): void {
  if (path) out.push(`| \`${path}\` | ${typeOf(node)}${required ? ' (required)' : ''}${kind ? `, ${kind}` : ''} | ${cell(node.description ?? '')} |`);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === '$schema' || (path.endsWith('router') && key === 'kind' && node.allOf)) continue;
    rows(child, path ? `${path}.${key}` : key, out, node.required?.includes(key) ?? false, kind);
  }
  if (node.allOf) {
    out.push(`| \`${path}.kind\` | ${typeOf(node.properties!.kind!)} (required) | Which router; each kind's fields follow. |`);
    for (const branch of node.allOf) {
      for (const [key, child] of Object.entries(branch.then.properties ?? {})) {
        if (key === 'kind' || key === 'ssh') continue;
        const kind = branch.if.properties.kind.const;
        rows(child, `${path}.${key}`, out, branch.then.required?.includes(key) ?? false, `${kind} only`);
      }
    }
    const ssh = branch0Ssh(node);
    if (ssh) rows(ssh, `${path}.ssh`, out);
  }
  if (typeof node.additionalProperties === 'object') rows(node.additionalProperties, `${path}.<name>`, out, false, kind);
  if (node.items && typeof node.items === 'object' && (node.items.properties || node.items.anyOf)) {
    const item = node.items.anyOf?.find((option) => option.properties) ?? node.items;
    if (item.properties) rows(item, `${path}[]`, out, false, kind);
  }
}

function branch0Ssh(node: SchemaNode): SchemaNode | undefined {
  return node.allOf?.[0]?.then.properties?.ssh;
}

export function environmentReference(): string {
  const out: string[] = ['| field | type | description |', '|---|---|---|'];
  rows(environmentFileSchema as unknown as SchemaNode, '', out);
  return out.join('\n');
}

export function generatedReadme(current: string): string {
  const replace = (text: string, marker: string, body: string) => {
    const pattern = new RegExp(`(<!-- generated:${marker} -->\\n)[\\s\\S]*?(<!-- /generated:${marker} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- generated:${marker} --> block`);
    return text.replace(pattern, (_, start: string, end: string) => `${start}${body}\n${end}`);
  };
  let text = replace(current, 'actions', ACTIONS.map(actionSection).join('\n'));
  text = replace(text, 'environment', environmentReference());
  return text;
}

const readmePath = join(root, 'README.md');
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/scripts\//, '/scripts/'))) {
  const current = readFileSync(readmePath, 'utf8');
  const next = generatedReadme(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('README.md is out of date: run npm run build (it writes the generated sections)');
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(readmePath, next);
    console.log('wrote README.md (generated sections)');
  }
}
