import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate, evaluateTemplate, parseCondition, parseExpression, parseTemplate, toText, type Scope } from './expressions.js';

const scope: Scope = {
  contexts: {
    github: { event_name: 'push', sha: 'abc123', event: { pull_request: { labels: [{ name: 'bug' }, { name: 'fix-the-line' }] } } },
    needs: { candidate: { result: 'success', outputs: { version: '1.2.3', count: '3' } } },
    steps: { switch: { outputs: { previous: 'blue' }, outcome: 'success', conclusion: 'success' } },
    inputs: { to: '', dry: false },
    env: { REGION: 'eu' },
    secrets: { TOKEN: 's3cret' },
  },
};
const value = (text: string, at: Scope = scope) => evaluate(parseExpression(text), at);

describe('expressions', () => {
  it('reads literals, contexts (names without regard to case), indexes and a missing property as null', () => {
    expect(value("'it''s'")).toBe("it's");
    expect(value('0x1F')).toBe(31);
    expect(value('-2.5e1')).toBe(-25);
    expect(value('null')).toBe(null);
    expect(value('needs.candidate.outputs.version')).toBe('1.2.3');
    expect(value("needs['candidate'].OUTPUTS['version']")).toBe('1.2.3');
    expect(value('GITHUB.EVENT_NAME')).toBe('push');
    expect(value('github.event.pull_request.labels[1].name')).toBe('fix-the-line');
    expect(value('steps.watch.outputs.report')).toBe(null);
  });

  it('compares as GitHub does: strings without case, other kinds as numbers, null equal to the empty string and 0', () => {
    expect(value("github.event_name == 'PUSH'")).toBe(true);
    expect(value('needs.candidate.outputs.count == 3')).toBe(true);
    expect(value("needs.candidate.outputs.count > '10'")).toBe(true); // two strings: compared as strings
    expect(value('needs.candidate.outputs.count < 10')).toBe(true);
    expect(value("steps.watch.outputs.report == ''")).toBe(true);
    expect(value('null == 0')).toBe(true);
    expect(value("'abc' == 0")).toBe(false); // NaN
    expect(value('true == 1')).toBe(true);
    expect(value('!inputs.dry')).toBe(true);
  });

  it('&& and || give one of their operands, ! and parentheses bind as documented', () => {
    expect(value("inputs.to || 'last good'")).toBe('last good');
    expect(value("steps.switch.outputs.previous || 'none'")).toBe('blue');
    expect(value("github.sha && 'yes'")).toBe('yes');
    expect(value("!(github.event_name == 'push') || env.REGION == 'eu' && false")).toBe(false);
    expect(value("(inputs.to && format(' to {0}', inputs.to)) || ''")).toBe('');
  });

  it('has the functions the examples use', () => {
    expect(value("contains(github.event.pull_request.labels.*.name, 'BUG')")).toBe(true);
    expect(value("join(github.event.pull_request.labels.*.name, ', ')")).toBe('bug, fix-the-line');
    expect(value("contains(github.event.pull_request.labels[*].name, 'wontfix')")).toBe(false);
    expect(value("contains('Hello', 'ELL')")).toBe(true);
    expect(value('contains(fromJSON(\'["a","b"]\'), \'B\')')).toBe(true);
    expect(value("startsWith(github.sha, 'ABC')")).toBe(true);
    expect(value("endsWith(github.sha, '123')")).toBe(true);
    expect(value("format('{0} to {1}, {{literal}}', 'rollback', env.REGION)")).toBe('rollback to eu, {literal}');
    expect(value("join(fromJSON('[1,2,3]'), '-')")).toBe('1-2-3');
    expect(value("join('one')")).toBe('one');
    expect(value('fromJSON(\'{"a":{"b":true}}\').a.b')).toBe(true);
    expect(value('toJSON(needs.candidate.outputs)')).toBe('{\n  "version": "1.2.3",\n  "count": "3"\n}');
    expect(toText(value('needs.candidate') as never)).toBe('Object');
  });

  it('status functions: success() by default in a condition, the others as the job stands', () => {
    const status = (failed: boolean, cancelled = false): Scope => ({
      ...scope,
      status: { success: () => !failed && !cancelled, failure: () => failed, cancelled: () => cancelled },
    });
    const condition = (text: string, at: Scope) => evaluate(parseCondition(text), at);
    expect(condition("steps.switch.outputs.previous != ''", status(false))).toBe(true);
    expect(condition("steps.switch.outputs.previous != ''", status(true))).toBe(false);
    expect(condition("${{ failure() && steps.switch.outputs.previous != '' }}", status(true))).toBe(true);
    expect(condition('always()', status(true, true))).toBe(true);
    expect(condition('cancelled()', status(false, true))).toBe(true);
    expect(condition('!cancelled()', status(false, true))).toBe(false);
  });

  it('templates: text around ${{ }}, a lone expression keeps its type, }} inside a string does not close it', () => {
    expect(evaluateTemplate(parseTemplate('v${{ needs.candidate.outputs.version }}-${{ env.REGION }}'), scope, 'x')).toBe('v1.2.3-eu');
    expect(evaluateTemplate(parseTemplate("${{ github.event_name == 'push' }}"), scope, 'x')).toBe(true);
    expect(evaluateTemplate(parseTemplate("${{ format('{{0}}}}', 1) }}!"), scope, 'x')).toBe('{0}}!');
    expect(evaluateTemplate(parseTemplate('no expression'), scope, 'x')).toBe('no expression');
  });

  it('refuses what it does not know, by name', () => {
    const place = { where: 'jobs.deploy.steps[0].with.x', contexts: ['github', 'env', 'steps'] as const };
    const check = (text: string, status = false) => checkExpression(parseExpression(text), { ...place, contexts: [...place.contexts], status });
    expect(() => check("hashFiles('**/package-lock.json')")).toThrow('jobs.deploy.steps[0].with.x: function hashFiles() is not modelled by the simulator');
    expect(() => check("fromYAML('a: 1')")).toThrow('unknown function fromYAML()');
    expect(() => check('gihub.sha')).toThrow('unknown context "gihub"');
    expect(() => check('secrets.TOKEN')).toThrow('context secrets is not available here (GitHub allows github, env, steps)');
    expect(() => check('matrix.os')).toThrow('context matrix is not modelled by the simulator');
    expect(() => check('success()')).toThrow('status function success() is only allowed in if: conditions');
    expect(() => check("contains('a')")).toThrow('contains() takes 2 argument(s), got 1');
    expect(() => parseExpression('github.sha == "abc"')).toThrow('strings are written in single quotes');
    expect(() => parseExpression('github.sha ==')).toThrow('unexpected end');
    expect(() => parseExpression('(github.sha')).toThrow('expected ")" at the end');
    expect(() => parseCondition("${{ github.sha }} == 'abc'")).toThrow('mixes ${{ }} with other text: GitHub reads it as a non-empty string, always true');
    expect(() => parseTemplate('${{ github.sha')).toThrow('${{ without a closing }}');
    expect(() => value("fromJSON('{')")).toThrow('fromJSON()');
    expect(() => value("format('{1}', 'a')")).toThrow('no argument {1}');
  });
});
