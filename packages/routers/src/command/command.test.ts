import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandRouter, commandRuns, parseCommandSplit } from './command.js';
import { applySplit } from '../router.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-command-router-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('command router', () => {
  it('reads JSON or "pool weight" lines', () => {
    expect(parseCommandSplit('{"blue": 100, "green": 0}\n')).toEqual({ blue: 100, green: 0 });
    expect(parseCommandSplit('blue 75\ngreen=25\n# comment\ncanary: 0\n')).toEqual({ blue: 75, green: 25, canary: 0 });
    expect(() => parseCommandSplit('blue lots')).toThrow('printed "blue lots"');
    expect(() => parseCommandSplit('{"blue": "all"}')).toThrow('weights are numbers');
    expect(() => parseCommandSplit('')).toThrow('printed nothing');
  });

  it('sets {split} once, or {pool}/{weight} once per changed pool, raising before lowering', () => {
    expect(commandRuns(['set-split', '--split={split}', '{environment}'], { blue: 100, green: 0 }, { blue: 0, green: 100 }, 'prod')).toEqual([
      { argv: ['set-split', '--split={"blue":0,"green":100}', 'prod'] },
    ]);
    expect(commandRuns(['set-weight', '{pool}', '{weight}'], { blue: 100, green: 0 }, { blue: 0, green: 100 }, 'prod')).toEqual([
      { argv: ['set-weight', 'green', '100'] },
      { argv: ['set-weight', 'blue', '0'] },
    ]);
  });

  it('gives the split on stdin to a command without placeholders', () => {
    expect(commandRuns(['router-set'], {}, { green: 100 }, 'prod')).toEqual([{ argv: ['router-set'], input: '{"green":100}\n' }]);
  });
});

describe('command router reads, checked like inputs', () => {
  const pools = { blue: ['127.0.0.1:8001'], green: ['127.0.0.1:8002'] };
  // Real programs: `read` prints the file's text, `apply` leaves a marker that it ran.
  const router = (printed: string) => {
    const file = join(dir, 'printed');
    writeFileSync(file, printed);
    const marker = join(dir, 'applied');
    rmSync(marker, { force: true });
    return {
      marker,
      router: commandRouter(
        { name: 'production', pools, router: { kind: 'command', read: ['cat', file], apply: ['touch', marker] } },
        { kind: 'command', read: ['cat', file], apply: ['touch', marker] },
      ),
    };
  };

  it.each([
    ['{"blue":100,"green":50}', 'printed {blue: 100, green: 50}, not a split: weights sum to 150, not 100'],
    ['{"blue":-10,"green":110}', 'printed {blue: -10, green: 110}, not a split: blue has weight -10'],
    ['{"blue":1e400,"green":0}', 'printed {blue: Infinity, green: 0}, not a split: blue has weight Infinity'],
    ['{"blue":50.5,"green":49.5}', 'printed {blue: 50.5, green: 49.5}, not a split: blue has weight 50.5'],
    ['{"blue":50,"__proto__":50}', 'not a split: pool "__proto__" is not in pools (blue, green)'],
    ['blue -5\ngreen 105', 'printed "blue -5"'],
    ['[100, 0]', 'printed "[100, 0]"'],
    ['{"blue": 100, "green": 0}\n::error::pwned', 'printed JSON that does not parse'],
  ])('refuses %s before anything is applied, naming the field and what it printed', async (printed, why) => {
    const { marker, router: commands } = router(printed);
    const error = await applySplit(commands, { green: 100 }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`environments.production.router.read: cat ${join(dir, 'printed')} `);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });
});
