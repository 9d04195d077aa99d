import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaKeywords } from '@cutover/config';
import { WORDED_KEYWORDS } from './file.js';
import { ENVIRONMENT_KINDS } from './kinds.js';
import { environmentFileSchema } from './load.js';

describe('the published schema', () => {
  // The validator carries no messages of its own (@cutover/config's VALIDATOR_OPTIONS): the loader
  // words every keyword that can fail. One that never fails on its own is named here instead.
  it('uses only keywords whose failures the loader words', () => {
    const neverFail = [
      '$schema',
      '$id',
      '$ref',
      'definitions',
      'properties',
      'patternProperties',
      'items',
      'allOf',
      'then',
      'description',
      'title',
      'x-expected',
    ];
    const unworded = [...schemaKeywords(environmentFileSchema())].filter((keyword) => !WORDED_KEYWORDS.has(keyword) && !neverFail.includes(keyword));
    expect(unworded).toEqual([]);
    // A keyword of a kind written tomorrow (format, a field refused by `false`) would be caught; what
    // an `if` holds only picks a branch.
    expect(schemaKeywords({ properties: { at: { type: 'string', format: 'date' }, legacy: false }, if: { not: { required: ['x'] } } })).toEqual(
      new Set(['properties', 'type', 'format', 'false schema', 'if']),
    );
    // additionalProperties: false fails as additionalProperties.
    expect(schemaKeywords({ type: 'object', additionalProperties: false })).toEqual(new Set(['type', 'additionalProperties']));
  });

  it('is the schema the loader uses (npm run build writes it)', () => {
    const published = JSON.parse(readFileSync(new URL('../../../schema/cutover.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(environmentFileSchema())));
  });

  it('describes every kind of the registries, each with its own fields', () => {
    interface Node {
      properties: Record<string, Node>;
      items: Node;
      enum: string[];
      required: string[];
      const: string;
      allOf: { if: Node; then: Node }[];
    }
    const schema = environmentFileSchema() as {
      properties: { environments: { additionalProperties: { properties: Record<string, Node> } } };
      definitions: Record<string, Node>;
    };
    const environment = schema.properties.environments.additionalProperties.properties as Record<string, Node>;
    // Each kind in the definitions, referred to where it applies (a function of its own in the validator).
    const definition = (node: Node) => schema.definitions[(node as unknown as { $ref: string }).$ref.replace('#/definitions/', '')]!;
    expect(environment.router!.properties.kind!.enum).toEqual(['nginx', 'haproxy', 'symlink', 'command']);
    expect(ENVIRONMENT_KINDS.routers.map((kind) => kind.kind)).toEqual(environment.router!.properties.kind!.enum);
    expect(Object.keys(environment.health!.properties.checks!.items.properties)).toEqual(['name', 'http', 'traffic', 'prometheus', 'command', 'main']);
    expect(definition(environment.health!.properties.checks!.items.properties.prometheus!).required).toEqual(['url']);
    expect(Object.keys(environment.alerts!.items.properties)).toEqual(['webhook', 'slack', 'pagerduty']);
    expect(definition(environment.alerts!.items.properties.slack!).required).toEqual(['url-env']);
    const nginx = definition(environment.router!.allOf.find((branch) => branch.if.properties.kind!.const === 'nginx')!.then);
    expect(Object.keys(nginx.properties)).toEqual(['kind', 'ssh', 'upstream-file', 'upstream', 'test', 'reload', 'server-options', 'access-log', 'instances']);
    // The kind's own required fields: in the router, or in every instance.
    expect(nginx.required).toEqual(['kind']);
    expect(nginx.allOf[0]!.then.required).toEqual(['upstream-file', 'upstream']);
    expect(Object.keys(definition(nginx.properties.instances!).items.properties)).toEqual([
      'name',
      'ssh',
      'upstream-file',
      'upstream',
      'test',
      'reload',
      'server-options',
      'access-log',
    ]);
  });
});
