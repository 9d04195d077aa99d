import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';
import { parseBoolean, parseChoice, parseCount, parseDurationInput, parseEnvironmentNames, parseGlobs, parseUrl, parseWeights } from './inputs.js';
import { completeSplit, formatSplit, idlePools, livePool, poolAddressesOf, sameSplit, validateSplit } from './split.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['10m', 600_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    [' 2m ', 120_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text, 'step-duration')).toBe(ms));

  it.each(['', '90', 'ten minutes', '1d', '-5s', '5 s', '0s'])('refuses "%s", naming the input', (text) => {
    expect(() => parseDuration(text, 'step-duration')).toThrow(/^step-duration: expected a duration/);
  });

  it('takes the default for an empty input', () => {
    expect(parseDurationInput('', 'interval', 5000)).toBe(5000);
    expect(() => parseDurationInput('soon', 'interval')).toThrow('interval: expected a duration such as 30s, 1m30s or 10m, got "soon"');
  });

  it('formats for people', () => {
    expect([450, 1500, 90_000, 600_000, 3_660_000].map(formatDuration)).toEqual(['450ms', '1.5s', '1m30s', '10m', '1h1m']);
  });
});

describe('weights', () => {
  it('reads commas, spaces and new lines', () => {
    expect(parseWeights('5,25,50,100', 'steps')).toEqual([5, 25, 50, 100]);
    expect(parseWeights('5, 25\n50 100', 'steps')).toEqual([5, 25, 50, 100]);
    expect(parseWeights('100', 'steps')).toEqual([100]);
  });

  it.each([
    ['', 'steps: expected a list of weights such as 5,25,50,100'],
    ['5,25,50', 'steps: the last weight must be 100, got 50'],
    ['5,50,25,100', 'steps: weights must ascend, but 25 follows 50'],
    ['5,5,100', 'steps: weights must ascend, but 5 follows 5'],
    ['0,100', 'steps: 0 is outside 1 to 100'],
    ['5,150', 'steps: 150 is outside 1 to 100'],
    ['5%,100', 'steps: "5%" is not a whole number from 1 to 100'],
    ['2.5,100', 'steps: "2.5" is not a whole number from 1 to 100'],
  ])('refuses "%s"', (text, message) => expect(() => parseWeights(text, 'steps')).toThrow(message));

  it('allows a list that stops at a manual gate when asked', () => {
    expect(parseWeights('5,25', 'steps', { allowPartial: true })).toEqual([5, 25]);
  });
});

describe('other inputs', () => {
  it('reads booleans as YAML does and refuses the rest', () => {
    expect(['true', 'True', 'yes', 'on', '1'].map((text) => parseBoolean(text, 'smoke'))).toEqual([true, true, true, true, true]);
    expect(['false', 'FALSE', 'no', 'off', '0'].map((text) => parseBoolean(text, 'smoke'))).toEqual([false, false, false, false, false]);
    expect(parseBoolean('', 'smoke', true)).toBe(true);
    expect(() => parseBoolean('maybe', 'stop-the-line')).toThrow('stop-the-line: expected true or false, got "maybe"');
    expect(() => parseBoolean('', 'stop-the-line')).toThrow('stop-the-line: expected true or false, got ""');
  });

  it('reads multi-line globs, dropping blanks and comments', () => {
    expect(parseGlobs('dist/**\n\n  # docs\nREADME.md\r\npackage.json, LICENSE\nsrc/{a,b}/*.ts')).toEqual([
      'dist/**',
      'README.md',
      'package.json',
      'LICENSE',
      'src/{a,b}/*.ts',
    ]);
  });

  it('reads choices, counts and URLs, naming the input', () => {
    expect(parseChoice('release', 'publish', ['artifact', 'release', 'none'])).toBe('release');
    expect(parseChoice('', 'publish', ['artifact', 'release', 'none'], 'artifact')).toBe('artifact');
    expect(() => parseChoice('ftp', 'publish', ['artifact', 'release', 'none'])).toThrow('publish: expected one of artifact, release, none, got "ftp"');
    expect(parseCount('3', 'failure-limit')).toBe(3);
    expect(() => parseCount('0', 'failure-limit')).toThrow('failure-limit: expected a whole number of at least 1, got "0"');
    expect(parseUrl('http://127.0.0.1:8080/x', 'url').port).toBe('8080');
    expect(() => parseUrl('localhost', 'url')).toThrow('url: "localhost" is not a URL');
    expect(() => parseUrl('file:///etc/passwd', 'url')).toThrow('url: "file:///etc/passwd" is not an http or https URL');
  });
});

describe('environment names', () => {
  it('reads one name as before, and several in the order given, by commas or new lines', () => {
    expect(parseEnvironmentNames(' production ', 'environment')).toEqual(['production']);
    expect(parseEnvironmentNames('production-us, production-eu', 'environment')).toEqual(['production-us', 'production-eu']);
    expect(parseEnvironmentNames('production-us\r\nproduction-eu\n', 'environment')).toEqual(['production-us', 'production-eu']);
    // What a workflow expression leaves of a wave that was not done: an empty line or entry.
    expect(parseEnvironmentNames('\n  \nproduction-eu,,', 'environment')).toEqual(['production-eu']);
  });

  it.each([
    ['', 'environment: input required and not supplied'],
    [' ,\n ', 'environment: input required and not supplied'],
    [
      'production-us production-eu',
      'environment: "production-us production-eu" is not one environment\'s name: separate several environments with commas or new lines',
    ],
    ['production-eu, production-us, production-eu', 'environment: production-eu is named twice'],
  ])('refuses %j, naming the input', (text, message) => expect(() => parseEnvironmentNames(text, 'environment')).toThrow(message));
});

describe('splits', () => {
  const pools = ['blue', 'green'];
  it('accepts weights that sum to 100 over known pools', () => {
    expect(validateSplit({ blue: 95, green: 5 }, pools)).toEqual({ blue: 95, green: 5 });
  });
  it.each([
    [{ blue: 90, green: 5 }, 'weights sum to 95, not 100 ({blue: 90, green: 5})'],
    [{ blue: 100, red: 0 }, 'pool "red" is not in pools (blue, green)'],
    [{ blue: 101, green: -1 }, 'blue has weight 101; weights are whole numbers from 0 to 100'],
    [{ blue: 50.5, green: 49.5 }, 'blue has weight 50.5'],
  ])('refuses %j', (split, message) => expect(() => validateSplit(split, pools)).toThrow(message));

  it('compares, completes and names splits', () => {
    expect(sameSplit({ blue: 100 }, { blue: 100, green: 0 })).toBe(true);
    expect(sameSplit({ blue: 100 }, { green: 100 })).toBe(false);
    expect(completeSplit({ green: 100 }, pools)).toEqual({ blue: 0, green: 100 });
    expect(livePool({ blue: 0, green: 100 })).toBe('green');
    expect(livePool({ blue: 50, green: 50 })).toBeUndefined();
    expect(idlePools({ blue: 100 }, pools)).toEqual(['green']);
    expect(formatSplit({ blue: 95, green: 5 })).toBe('{blue: 95, green: 5}');
  });
});

describe('durations', () => {
  it('takes 120h, the longest a job may run, and refuses anything longer', () => {
    expect(parseDuration('120h', 'x')).toBe(432_000_000);
    expect(() => parseDuration('600h', 'interval')).toThrow('interval: "600h" is longer than 120h, the longest a job may run; expected at most 120h');
    expect(() => parseDuration('120h1ms', 'interval')).toThrow('longer than 120h');
  });
});

describe('poolAddressesOf', () => {
  it("finds a pool's own addresses, never Object's", () => {
    const pools = { blue: ['10.0.0.1:80'] };
    expect(poolAddressesOf(pools, 'blue')).toEqual(['10.0.0.1:80']);
    for (const name of ['green', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(poolAddressesOf(pools, name)).toBeUndefined();
  });
});
