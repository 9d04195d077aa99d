import { describe, expect, it } from 'vitest';
import { commandRuns, parseCommandSplit } from './command.js';

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
