/**
 * JUnit XML as JUnit, Maven Surefire, pytest, Vitest and Jest write it: testsuites or testsuite at
 * the root, suites nested at will, testcase with failure, error or skipped. Pure: text in, cases out.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { locate } from './location.js';
import type { TestCase, TestStatus } from './types.js';

export class JUnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JUnitError';
  }
}

type XmlNode = Record<string, unknown> | string;

const REPEATED = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

function attribute(node: XmlNode | undefined, name: string): string | undefined {
  if (!node || typeof node === 'string') return undefined;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function textOf(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
}

function children(node: XmlNode, name: string): XmlNode[] {
  if (typeof node === 'string') return [];
  const value = node[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

/** Seconds; Surefire may group thousands with commas. */
function seconds(text: string | undefined): number {
  const value = Number((text ?? '').replace(/,/g, ''));
  return Number.isFinite(value) && value > 0 ? value : 0;
}

interface Dialect {
  /** pytest's `line` attribute counts from 0. */
  zeroBasedLines: boolean;
}

interface SuiteContext {
  suite: string;
  file?: string;
}

function lineAttribute(text: string | undefined, dialect: Dialect): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const line = Number(text) + (dialect.zeroBasedLines ? 1 : 0);
  return line > 0 ? line : undefined;
}

function readCase(node: XmlNode, context: SuiteContext, dialect: Dialect, report: string): TestCase {
  const failure = children(node, 'failure')[0];
  const error = children(node, 'error')[0];
  const skipped = children(node, 'skipped')[0];
  const problem = failure ?? error;
  const status: TestStatus = failure !== undefined ? 'failed' : error !== undefined ? 'error' : skipped !== undefined ? 'skipped' : 'passed';
  const classname = attribute(node, 'classname') ?? '';
  const testCase: TestCase = {
    name: attribute(node, 'name') ?? '(unnamed)',
    classname,
    suite: context.suite,
    time: seconds(attribute(node, 'time')),
    status,
    report,
  };
  const message = attribute(problem ?? skipped, 'message')?.trim();
  if (message) testCase.message = message;
  const details = textOf(problem ?? skipped).trim();
  if (details) testCase.details = details;
  if (problem !== undefined) {
    const location = locate({
      file: attribute(node, 'file') ?? context.file,
      line: lineAttribute(attribute(node, 'line'), dialect),
      classname,
      text: `${message ?? ''}\n${details}`,
    });
    if (location) testCase.location = location;
  }
  return testCase;
}

function readSuite(node: XmlNode, parent: SuiteContext, dialect: Dialect, report: string, into: TestCase[]): void {
  const context: SuiteContext = {
    suite: attribute(node, 'name') ?? parent.suite,
    file: attribute(node, 'file') ?? attribute(node, 'filepath') ?? parent.file,
  };
  for (const testCase of children(node, 'testcase')) into.push(readCase(testCase, context, dialect, report));
  for (const suite of children(node, 'testsuite')) readSuite(suite, context, dialect, report, into);
}

/** Every test case of one report; `source` names the file in errors. */
export function parseJUnit(xml: string, source: string): TestCase[] {
  if (xml.trim() === '') throw new JUnitError(`${source}: the file is empty (did the test runner stop before writing it?)`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new JUnitError(`${source}: not well-formed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  const document = parser.parse(xml) as Record<string, unknown>;
  const roots = [...children(document, 'testsuites'), ...children(document, 'testsuite')];
  if (roots.length === 0) throw new JUnitError(`${source}: not a JUnit report (no testsuites or testsuite element)`);
  const pytest = roots.some((root) => /^pytest( tests)?$/.test(attribute(root, 'name') ?? ''));
  const dialect: Dialect = { zeroBasedLines: pytest };
  const cases: TestCase[] = [];
  for (const root of roots) readSuite(root, { suite: '' }, dialect, source, cases);
  return cases;
}
