// A kind is one object: the file's schema, its loading and its errors follow from it with no other
// change. Shown here with kinds nobody ships (an "envoy" router, a "dns" check, an "email" alert).
import { describe, expect, it } from 'vitest';
import { compileValidator, duration, PATH_PATTERN, type EnvironmentKinds, type KindSchema } from '@cutover/config';
import { parseEnvironmentFile } from './file.js';
import { environmentFileSchema } from './schema.js';

interface Envoy {
  kind: 'envoy';
  'admin-socket': string;
  cluster: string;
  drain?: string;
}

const envoy: KindSchema<Envoy> = {
  kind: 'envoy',
  schema: {
    required: ['admin-socket', 'cluster'],
    properties: {
      'admin-socket': { type: 'string', pattern: PATH_PATTERN },
      cluster: { type: 'string', pattern: '^[a-z]+$', 'x-expected': 'a cluster name in lower case' },
      drain: duration,
    },
  },
  check(config, problem) {
    if (config.cluster === 'default') problem(['cluster'], 'is the cluster Envoy keeps for itself');
  },
  normalize(config) {
    config.cluster = `${config.cluster}-cutover`;
  },
};

const dns: KindSchema<{ name: string }> = { kind: 'dns', schema: { required: ['name'], properties: { name: { type: 'string' } } } };
const email: KindSchema<{ 'password-env': string }> = {
  kind: 'email',
  schema: { required: ['password-env'], properties: { 'password-env': { type: 'string' } } },
  variables: (config) => [config['password-env']],
};

const shipped = { routers: [envoy], checks: [dns], alerts: [email] };
// Compiled here; the kinds Cutover ships carry the build's standalone validator.
const kinds: EnvironmentKinds = { ...shipped, validate: compileValidator(environmentFileSchema(shipped)) };

const file = (router: string) => `environments:
  production:
    router: { kind: envoy, ${router} }
    pools: { blue: [10.0.0.1:80], green: [10.0.0.2:80] }
    health:
      checks:
        - name: resolves
          dns: { name: app.example.com }
    alerts:
      - email: { password-env: SMTP_PASSWORD }
`;

describe('kinds', () => {
  it('assemble the schema: each kind its fields, the router its common ones', () => {
    const schema = JSON.stringify(environmentFileSchema(kinds));
    expect(schema).toContain('"admin-socket"');
    expect(schema).toContain('"dns"');
    expect(schema).toContain('"email"');
    expect(schema).not.toContain('"nginx"');
  });

  it('load a file of their kinds, normalized by the kind', () => {
    const loaded = parseEnvironmentFile(file('admin-socket: /run/envoy.sock, cluster: app, drain: 5s'), kinds);
    expect(loaded.environments.production!.router).toEqual({ kind: 'envoy', 'admin-socket': '/run/envoy.sock', cluster: 'app-cutover', drain: '5s' });
  });

  it('refuse what the kind refuses, at its field and line, in the words the kind gave', () => {
    const problem = (router: string) => {
      try {
        parseEnvironmentFile(file(router), kinds, 'cutover.yml');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(problem('admin-socket: /run/envoy.sock, cluster: default')).toBe(
      'cutover.yml: environments.production.router.cluster: is the cluster Envoy keeps for itself (line 3)',
    );
    expect(problem('admin-socket: /run/envoy.sock, cluster: App')).toBe(
      'cutover.yml: environments.production.router.cluster: expected a cluster name in lower case, got "App" (line 3)',
    );
    expect(problem('admin-socket: /run/envoy.sock, cluster: app, drain: 200h')).toContain('environments.production.router.drain: "200h" is longer than 120h');
    expect(problem('admin-socket: "/run/x;reboot", cluster: app')).toContain('environments.production.router.admin-socket: expected an absolute path');
    expect(problem('cluster: app, port: 1')).toContain('environments.production.router.port: unknown field');
    expect(parseEnvironmentFile.bind(null, file('admin-socket: /a, cluster: app').replace('kind: envoy', 'kind: nginx'), kinds)).toThrow(
      'environments.production.router.kind: expected one of envoy, got "nginx"',
    );
  });

  // The validator carries no messages of its own (@cutover/config's VALIDATOR_OPTIONS): a kind may
  // use any keyword the loader words (WORDED_KEYWORDS), beyond those the shipped kinds use today.
  it("refuse in the loader's words for every keyword it words, the shipped kinds' or not", () => {
    const zone: KindSchema<object> = {
      kind: 'zone',
      schema: {
        properties: {
          name: { type: 'string', minLength: 2, maxLength: 5 },
          servers: { type: 'array', maxItems: 3, uniqueItems: true, items: { type: 'string' } },
          legacy: false,
          ttl: { oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+s$' }], description: 'seconds, such as 30 or "30s"' },
          mode: { not: { const: 'off' } },
          code: { type: 'string', maxLength: 1 },
          labels: { type: 'object', propertyNames: { pattern: '^[a-z]+$', maxLength: 3, 'x-expected': 'a label in lower case' } },
          // The environments' names, by reference: the validator makes a function of it, whose
          // errors do not carry the name (file.ts, refusedNames).
          tags: { type: 'object', propertyNames: { $ref: '#/properties/environments/propertyNames' } },
          // A duration under a form is held to the 120h limit as any other.
          wait: { oneOf: [duration, { type: 'integer' }] },
        },
      },
    };
    const zoned = { routers: [envoy], checks: [zone], alerts: [] };
    const withZones: EnvironmentKinds = { ...zoned, validate: compileValidator(environmentFileSchema(zoned)) };
    const refused = (check: string) => {
      try {
        parseEnvironmentFile(
          `environments:\n  production:\n    router: { kind: envoy, admin-socket: /run/e.sock, cluster: app }\n    pools: { blue: [10.0.0.1:80] }\n    health:\n      checks:\n        - name: z\n          zone: ${check}\n`,
          withZones,
        );
      } catch (error) {
        return (error as Error).message.split('\n').map((line) => line.replace(/^.*checks\[0\]\.zone\./, '').replace(/ \(line \d+\)$/, ''));
      }
      return ['accepted'];
    };
    expect(refused('{ name: a }')).toEqual(['name: expected at least 2 characters, got "a"']);
    expect(refused('{ name: abcdefg }')).toEqual(['name: expected at most 5 characters, got "abcdefg"']);
    expect(refused('{ servers: [a, b, c, d] }')).toEqual(['servers: expected at most 3 items']);
    expect(refused('{ servers: [a, b, a] }')).toEqual(['servers: holds the same item twice, at [0] and [2]']);
    expect(refused('{ legacy: true }')).toEqual(['legacy: is not allowed here']);
    expect(refused('{ ttl: 5.5 }')).toEqual(['ttl: expected seconds, such as 30 or "30s", got 5.5']);
    expect(refused('{ mode: "off" }')).toEqual(['mode: "off" is not allowed here']);
    expect(refused('{ code: ab }')).toEqual(['code: expected at most 1 character, got "ab"']);
    // A name propertyNames refuses: at the name, once for each keyword it fails.
    expect(refused('{ labels: { Envv: 1, ok: 2 } }')).toEqual([
      'labels.Envv: expected at most 3 characters, got "Envv"',
      'labels.Envv: expected a label in lower case, got "Envv"',
    ]);
    expect(refused('{ tags: { "C D": 1, ok: 2, "E F": 3 } }')).toEqual([
      'tags.C D: expected a name of letters, digits, ".", "_" and "-", got "C D"',
      'tags.E F: expected a name of letters, digits, ".", "_" and "-", got "E F"',
    ]);
    expect(refused('{ wait: 600h }')).toEqual([expect.stringContaining('wait: "600h" is longer than 120h')]);
    expect(refused('{ name: ab, ttl: 30, wait: 5m, mode: on, labels: { env: 1 }, tags: { a.b: 1 } }')).toEqual(['accepted']);
    // More than one form fits: which ones.
    const both: KindSchema<object> = { kind: 'both', schema: { properties: { n: { oneOf: [{ type: 'integer' }, { type: 'number' }] } } } };
    const twice = { routers: [envoy], checks: [both], alerts: [] };
    expect(() =>
      parseEnvironmentFile(
        `environments:\n  production:\n    router: { kind: envoy, admin-socket: /run/e.sock, cluster: app }\n    pools: { blue: [10.0.0.1:80] }\n    health:\n      checks:\n        - name: z\n          both: { n: 5 }\n`,
        { ...twice, validate: compileValidator(environmentFileSchema(twice)) },
      ),
    ).toThrow('checks[0].both.n: fits more than one of its forms (1 and 2), got 5');
  });
});
