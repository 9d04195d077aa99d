/**
 * JUnit XML as JUnit, Maven Surefire, pytest, Vitest and Jest write it: testsuites or testsuite at
 * the root, suites nested at will, testcase with failure, error or skipped. Pure: text in, cases out.
 */
import { TextDecoder } from 'node:util';
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

/** fast-xml-parser's own default, stated: a report nested deeper is refused, naming the line. */
const MAX_NESTED_TAGS = 100;

// fast-xml-parser (kept: maintained, no native code, already bundled) refuses external entities and
// bounds entity expansion by default (an entity over 10,000 characters, 1,000 entities, or 100,000
// characters expanded in one value); its refusals are plain Errors, turned here into JUnitErrors
// that name the report and the line.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  maxNestedTags: MAX_NESTED_TAGS,
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

/**
 * A case that says it did not run, with no <skipped> child: `status="disabled"` (tst and other C++
 * runners), `status="notrun"` (GoogleTest's DISABLED_ tests). Counted as skipped, as the peers do.
 */
function notRun(node: XmlNode): boolean {
  return /^(disabled|notrun|not run|skipped)$/i.test(attribute(node, 'status')?.trim() ?? '');
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
  const status: TestStatus = failure !== undefined ? 'failed' : error !== undefined ? 'error' : skipped !== undefined || notRun(node) ? 'skipped' : 'passed';
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

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/**
 * The text of a report's bytes, as XML says to read them: a byte order mark first (UTF-8, UTF-16 LE
 * or BE), then UTF-16 recognised by `<?` without one, then the XML declaration's encoding (any
 * TextDecoder knows: ISO-8859-1, Windows-1252, Shift_JIS…), else UTF-8.
 */
export function decodeReport(bytes: Uint8Array, source: string): string {
  const starts = (prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  for (const [bom, encoding] of BOMS) if (starts(bom)) return new TextDecoder(encoding).decode(bytes.subarray(bom.length));
  if (starts([0x3c, 0x00, 0x3f, 0x00])) return new TextDecoder('utf-16le').decode(bytes);
  if (starts([0x00, 0x3c, 0x00, 0x3f])) return new TextDecoder('utf-16be').decode(bytes);
  // The declaration is ASCII in every encoding that reaches here.
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  const declared = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(head)?.[1]?.trim();
  // Bytes that read as ASCII are not UTF-16, whatever the declaration says.
  if (!declared || /^utf-?16/i.test(declared)) return new TextDecoder('utf-8').decode(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared);
  } catch {
    throw new JUnitError(
      `${source}: declares encoding "${declared}" at line 1, which is not one test-gate can read (UTF-8, UTF-16, ISO-8859-1, Windows-1252 and the other WHATWG encodings are)`,
    );
  }
  return decoder.decode(bytes);
}

/** 1-based line of the character at `index`. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** The line a file ends on: its last line, not counting the new line that ends it. */
function lastLine(text: string): number {
  return lineAt(text, text.replace(/\n$/, '').length);
}

/** Tags, with what cannot hold one skipped: comments, CDATA, processing instructions, DOCTYPE. */
const TOKENS =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>|<(\/?)[^\s/>!?]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/g;

/** The line of the first element nested deeper than `limit` (the document is well-formed). */
function lineOfDepth(xml: string, limit: number): number | undefined {
  let depth = 0;
  for (const match of xml.matchAll(TOKENS)) {
    const [token, closing, selfClosing] = match;
    if (token.startsWith('<!') || token.startsWith('<?')) continue;
    if (closing) depth--;
    else if (!selfClosing && ++depth > limit) return lineAt(xml, match.index);
  }
  return undefined;
}

const EXTERNAL_ENTITY = /<!ENTITY\s[^>]*?\s(SYSTEM|PUBLIC)\s/;

/** The line of the entity declaration `name` (or of the first one, or of the DOCTYPE). */
function lineOfEntity(xml: string, name?: string, external = false): number | undefined {
  const patterns = [
    name ? new RegExp(`<!ENTITY\\s+%?\\s*${name.replace(/[^\w.:-]/g, '')}\\s`) : undefined,
    external ? EXTERNAL_ENTITY : undefined,
    /<!ENTITY\s/,
    /<!DOCTYPE\s/,
  ];
  for (const pattern of patterns) {
    const match = pattern?.exec(xml);
    if (match) return lineAt(xml, match.index);
  }
  return undefined;
}

/** The parser's refusal, said for a person, naming the report and the line where it can. */
function refusal(error: unknown, xml: string, source: string): JUnitError {
  const message = error instanceof Error ? error.message : String(error);
  const at = (line: number | undefined) => (line === undefined ? '' : ` at line ${line}`);
  // A parameter entity (`<!ENTITY % p SYSTEM …>`) is refused as an invalid name: still an external one.
  if (/External entit/i.test(message) || (/entit/i.test(message) && EXTERNAL_ENTITY.test(xml))) {
    return new JUnitError(
      `${source}: refused${at(lineOfEntity(xml, undefined, true))}: an external entity (<!ENTITY … SYSTEM or PUBLIC>), which could read files or URLs; a test report needs none`,
    );
  }
  if (/entit|expan/i.test(message)) {
    const name = /Entity "([^"]+)"/.exec(message)?.[1];
    const line = lineOfEntity(xml, name);
    const where = line === undefined ? '' : ` at line ${line} (the entity's declaration)`;
    const what = /exceed|limit/i.test(message) ? "entity expansion past the parser's limits" : 'an entity declaration the parser does not accept';
    return new JUnitError(`${source}: refused${where}: ${what} (${message})`);
  }
  if (/Maximum nested tags exceeded/.test(message)) {
    // The parser counts the elements above the one it opens: the 102nd level is the first refused.
    return new JUnitError(`${source}: refused${at(lineOfDepth(xml, MAX_NESTED_TAGS + 1))}: elements nested more than ${MAX_NESTED_TAGS + 1} deep`);
  }
  return new JUnitError(`${source}: cannot be read as XML (${message})`);
}

/** The validator's error, with the line where a truncated file ends rather than line 1. */
function notWellFormed(err: { code: string; msg: string; line: number }, xml: string, source: string): JUnitError {
  // "Invalid '[ "testsuites", "testsuite" ]' found.": elements still open when the text ran out.
  const open = err.code === 'InvalidXml' ? /^Invalid '\[([\s\S]*)\]' found\.$/.exec(err.msg) : null;
  if (open) {
    const tags = [...open[1]!.matchAll(/"([^"]*)"/g)].map((match) => `<${match[1]}>`);
    return new JUnitError(
      `${source}: not well-formed XML at line ${lastLine(xml)}: the file ends with ${tags.join(', ')} still open (truncated? did the test runner stop before finishing it?)`,
    );
  }
  return new JUnitError(`${source}: not well-formed XML at line ${err.line}: ${err.msg}`);
}

/**
 * Every test case of one report; `source` names the file in errors. Bytes are decoded as their
 * byte order mark or XML declaration says (see `decodeReport`). Any refusal is a JUnitError naming
 * `source` (and the line where it can be known), so that one bad report never hides the others.
 */
export function parseJUnit(report: string | Uint8Array, source: string): TestCase[] {
  const xml = (typeof report === 'string' ? report : decodeReport(report, source)).replace(/^\uFEFF/, '');
  if (xml.trim() === '') throw new JUnitError(`${source}: the file is empty (did the test runner stop before writing it?)`);
  let document: Record<string, unknown>;
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) throw notWellFormed(valid.err, xml, source);
    document = parser.parse(xml) as Record<string, unknown>;
  } catch (error) {
    throw error instanceof JUnitError ? error : refusal(error, xml, source);
  }
  const roots = [...children(document, 'testsuites'), ...children(document, 'testsuite')];
  if (roots.length === 0) throw new JUnitError(`${source}: not a JUnit report (no testsuites or testsuite element)`);
  const pytest = roots.some((root) => /^pytest( tests)?$/.test(attribute(root, 'name') ?? ''));
  const dialect: Dialect = { zeroBasedLines: pytest };
  const cases: TestCase[] = [];
  for (const root of roots) readSuite(root, { suite: '' }, dialect, source, cases);
  return cases;
}
