/**
 * SQL read by the real PostgreSQL parser: libpg-query, PostgreSQL 18's own grammar compiled to
 * WebAssembly (no native build, nothing downloaded at install). A file becomes its statements,
 * each with the line of its first token, its text and its parse tree.
 */
import type { Node, ParseResult, ScanResult } from 'libpg-query';
import { commonJsExports } from '@cutover/runtime';

export type { Node } from 'libpg-query';

export interface SqlStatement {
  /** 1-based line of the statement's first token (comments before it are not the statement). */
  line: number;
  /** The statement from its first token, without the closing semicolon. */
  text: string;
  node: Node;
  /** Rules named by `-- migration-check: ignore <rule>, <rule>` comments just before the statement. */
  ignored: string[];
}

/** A file the parser refuses, with the line it stopped at. */
export class SqlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'SqlSyntaxError';
  }
}

interface Parser {
  parse(sql: string): Promise<ParseResult>;
  scan(sql: string): Promise<ScanResult>;
}

let loading: Promise<Parser> | undefined;

/**
 * Loads the parser once. Its emscripten loader reads libpg-query.wasm from its own `__dirname`:
 * from source, Node's for the CommonJS file; bundled, the chunk's directory, where scripts/build.mjs
 * copies the .wasm.
 */
function parser(): Promise<Parser> {
  loading ??= (async () => {
    const module = commonJsExports(await import('libpg-query'), 'loadModule');
    await module.loadModule();
    return { parse: module.parse, scan: module.scan };
  })();
  return loading;
}

/** Byte offsets (the parser's unit) to 1-based lines. */
export function lineIndex(bytes: Uint8Array): (offset: number) => number {
  const starts: number[] = [0];
  bytes.forEach((byte, index) => {
    if (byte === 0x0a) starts.push(index + 1);
  });
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

const IGNORE = /migration-check:\s*ignore\s+([a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)/gi;

/** The rule names of every `migration-check: ignore a, b` in a comment. */
export function ignoredRules(comment: string): string[] {
  return [...comment.matchAll(IGNORE)].flatMap((match) => match[1]!.split(',').map((rule) => rule.trim().toLowerCase()));
}

/** The statements of one SQL file; a file of comments only has none. */
export async function parseSql(sql: string, file: string): Promise<SqlStatement[]> {
  if (sql.trim() === '') return [];
  const { parse, scan } = await parser();
  const bytes = Buffer.from(sql, 'utf8');
  const lineOf = lineIndex(bytes);
  let tree: ParseResult;
  try {
    tree = await parse(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const line = details?.cursorPosition !== undefined && details.cursorPosition >= 0 ? lineOf(details.cursorPosition) : 1;
    throw new SqlSyntaxError(file, line, (error as Error).message);
  }
  const tokens = (await scan(sql)).tokens ?? [];
  const statements: SqlStatement[] = [];
  let previousEnd = 0;
  for (const raw of tree.stmts ?? []) {
    if (!raw.stmt) continue;
    // Protobuf leaves zero values out: the first statement has no stmt_location, the last one
    // (with no closing semicolon) no stmt_len.
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const first = tokens.find((token) => token.start >= start && token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT');
    const from = first && first.start < end ? first.start : start;
    const ignored = tokens
      .filter((token) => token.start >= previousEnd && token.end <= from && (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT'))
      .flatMap((token) => ignoredRules(token.text));
    statements.push({ line: lineOf(from), text: bytes.subarray(from, end).toString('utf8').trim(), node: raw.stmt, ignored });
    previousEnd = end;
  }
  return statements;
}
