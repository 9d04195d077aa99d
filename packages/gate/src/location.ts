/** Finding the file and line of a failed test in what the runner wrote. Pure. */
import type { SourceLocation } from './types.js';

export interface Frame {
  path: string;
  line: number;
}

// `path:line` or `path:line:column`, after a space, `(`, `❯`, `@` or the start of a line;
// Vitest writes `❯ src/a.test.ts:6:19`, Jest `at fn (/abs/a.test.js:5:15)`, pytest
// `tests/test_a.py:8: AssertionError`, Java `at com.x.FooTest.t(FooTest.java:12)`, .NET
// `in C:\src\FooTests.cs:line 12`, ESM runners `file:///abs/a.mjs:3:1` (or file:///C:/…).
const FRAME =
  /(?:^|[\s(❯@])(file:\/\/\/?(?=[A-Za-z]:)|file:\/\/)?((?:[A-Za-z]:)?[^\s():'"❯@]*[^\s():'"❯@.]\.[A-Za-z][A-Za-z0-9]{0,5}):(?:line )?(\d+)(?::\d+)?/gm;

function decodeUriPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * A path as a report gives it, made a path: a `file://` URI decoded (`file:///w/a%20b.ts` is
 * `/w/a b.ts`, `file:///C:/w/a.ts` is `C:/w/a.ts`, `file://server/share/a.ts` is `//server/share/a.ts`).
 */
export function pathFromReport(path: string): string {
  const uri = /^file:\/\/([^/]*)(\/.*)$/i.exec(path.trim());
  if (!uri) return path.trim();
  const local = decodeUriPath(uri[2]!);
  if (uri[1] && uri[1].toLowerCase() !== 'localhost') return `//${uri[1]}${local}`;
  return /^\/[A-Za-z]:[\\/]/.test(local) ? local.slice(1) : local;
}

/** `C:\x`, `C:/x` or `\\server\share`: a path that only Windows reads as absolute. */
export function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:[\\/]|^\\\\[^\\]/.test(path);
}

// Frames in the runner's or a library's code say little about the user's test.
const FOREIGN = /(^|\/)(node_modules|site-packages|dist-packages)\/|^node:|^internal\/|^\/usr\/lib\//;

/** Every `path:line` frame in a stack or failure text, in order. */
export function framesIn(text: string): Frame[] {
  const frames: Frame[] = [];
  for (const match of text.matchAll(FRAME)) {
    const line = Number(match[3]);
    if (line > 0) frames.push({ path: match[1] ? decodeUriPath(match[2]!) : match[2]!, line });
  }
  return frames;
}

function normalize(path: string): string {
  return pathFromReport(path).replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Same file, when one path is absolute and the other relative to where the runner ran (Windows paths: whatever the case). */
export function samePath(a: string, b: string): boolean {
  const windows = isWindowsPath(pathFromReport(a)) || isWindowsPath(pathFromReport(b));
  const [x, y] = [normalize(a), normalize(b)].map((path) => (windows ? path.toLowerCase() : path)) as [string, string];
  if (x === y) return true;
  return x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

// `at com.x.FooTest.testAdds(FooTest.java:12)`: the class, then the file's base name.
const JVM_FRAME = /\bat ([\w$.]+)\.[\w$<>]+\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/g;

/**
 * A JVM frame names only the file (`FooTest.java`); the test class's package gives its directory,
 * and the caller finds the file that ends with it (src/test/java/com/x/FooTest.java).
 */
function jvmLocation(text: string, classname: string): SourceLocation | undefined {
  for (const match of text.matchAll(JVM_FRAME)) {
    const frameClass = match[1]!.split('$')[0]!;
    if (frameClass !== classname.split('$')[0]) continue;
    const directory = frameClass.split('.').slice(0, -1).join('/');
    return { path: directory ? `${directory}/${match[2]}` : match[2]!, line: Number(match[3]), exact: false };
  }
  return undefined;
}

/** A classname that is itself a path (Vitest writes the test file there). */
function classnamePath(classname: string): string | undefined {
  return /^[^\s]+\/[^\s]*\.[A-Za-z]+$|^[^\s/]+\.(test|spec)\.[A-Za-z]+$/.test(classname) ? classname : undefined;
}

export interface LocationClues {
  /** `file` attribute of the test case or its suite. */
  file?: string;
  /** `line` attribute, 1-based. */
  line?: number;
  classname: string;
  /** Failure message and body. */
  text: string;
}

/**
 * The best place to annotate: the deepest frame of the failure inside the test's own file, else
 * the test's declared file and line, else the first frame outside libraries.
 */
export function locate(clues: LocationClues): SourceLocation | undefined {
  const file = clues.file !== undefined ? pathFromReport(clues.file) : classnamePath(clues.classname);
  const frames = framesIn(clues.text).filter((frame) => !FOREIGN.test(normalize(frame.path)));
  // Python prints the innermost frame last; JavaScript and the JVM print it first.
  const pick = (list: Frame[]) => (list.length === 0 ? undefined : list.some((f) => f.path.endsWith('.py')) ? list.at(-1) : list[0]);
  if (file) {
    const own = pick(frames.filter((frame) => samePath(frame.path, file)));
    if (own) return { path: file, line: own.line, exact: true };
    return { path: file, line: clues.line, exact: true };
  }
  const jvm = jvmLocation(clues.text, clues.classname);
  if (jvm) return jvm;
  const first = pick(frames);
  return first ? { path: first.path, line: first.line, exact: true } : undefined;
}
