// Freeze windows in the file: loaded as written, refused at their field and line (config's
// freeze.test.ts has the windows' own rules).
import { describe, expect, it } from 'vitest';
import { compileValidator, type EnvironmentKinds, type FreezeWindow } from '@cutover/config';
import { ConfigError, parseEnvironmentFile } from './file.js';
import { environmentFileSchema } from './schema.js';

const BRIEF: FreezeWindow[] = [
  { reason: 'Year-end freeze', from: '2026-12-20T00:00:00Z', until: '2027-01-04T00:00:00Z' },
  { reason: 'No deploys on Friday evenings', weekly: { days: ['fri'], from: '16:00', until: '23:59' }, timezone: 'Europe/Madrid' },
];

describe('freeze in the environment file', () => {
  // Freeze windows are no kind: any router does (a kind of its own, so that nothing else in the file matters).
  const plain: EnvironmentKinds = { routers: [{ kind: 'plain', schema: { properties: {} } }], checks: [], alerts: [] };
  const kinds: EnvironmentKinds = { ...plain, validate: compileValidator(environmentFileSchema(plain)) };
  const file = (freeze: string) => `environments:
  production:
    router: { kind: plain }
    pools: { blue: [10.0.0.1:80], green: [10.0.0.2:80] }
    freeze:
${freeze}`;
  const problem = (freeze: string) => {
    try {
      parseEnvironmentFile(file(freeze), kinds, 'cutover.yml');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('the file was accepted');
  };

  it('loads the windows of the brief as written (unquoted ISO times stay text)', () => {
    const loaded = parseEnvironmentFile(
      file(`      - reason: Year-end freeze
        from: 2026-12-20T00:00:00Z
        until: 2027-01-04T00:00:00Z
      - reason: No deploys on Friday evenings
        weekly: { days: [fri], from: "16:00", until: "23:59" }
        timezone: Europe/Madrid
`),
      kinds,
    );
    expect(loaded.environments.production!.freeze).toEqual(BRIEF);
  });

  it('refuses bad day names, from after until, unknown time zones and times without an offset, naming field and line', () => {
    expect(problem(`      - reason: x\n        weekly: { days: [friday], from: "16:00", until: "18:00" }\n`)).toBe(
      'cutover.yml: environments.production.freeze[0].weekly.days[0]: expected one of sun, mon, tue, wed, thu, fri, sat, got "friday" (line 7)',
    );
    expect(problem(`      - reason: x\n        from: 2026-12-20T00:00:00Z\n        until: 2026-12-19T00:00:00Z\n`)).toBe(
      'cutover.yml: environments.production.freeze[0].until: 2026-12-19T00:00:00Z is not after from (2026-12-20T00:00:00Z) (line 8)',
    );
    expect(problem(`      - reason: x\n        weekly: { days: [fri], from: "18:00", until: "16:00" }\n`)).toBe(
      "cutover.yml: environments.production.freeze[0].weekly.until: 16:00 is not after from (18:00); a window over midnight is two days' windows (line 7)",
    );
    expect(problem(`      - reason: x\n        weekly: { days: [fri], from: "16:00", until: "18:00" }\n        timezone: Madrid\n`)).toBe(
      'cutover.yml: environments.production.freeze[0].timezone: "Madrid" is not an IANA time zone such as Europe/Madrid or America/New_York (line 8)',
    );
    expect(problem(`      - reason: x\n        from: 2026-12-20T00:00:00\n        until: 2027-01-04T00:00:00Z\n`)).toBe(
      'cutover.yml: environments.production.freeze[0].from: expected an ISO 8601 time with its offset such as 2026-12-20T00:00:00Z, got "2026-12-20T00:00:00" (line 7)',
    );
    expect(problem(`      - reason: x\n        weekly: { days: [fri], from: "4pm", until: "18:00" }\n`)).toBe(
      'cutover.yml: environments.production.freeze[0].weekly.from: expected a time of day such as "16:00", got "4pm" (line 7)',
    );
  });
});
