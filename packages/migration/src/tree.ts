/**
 * Reading libpg-query's parse trees: a node is an object with one key, its type (`{ AlterTableStmt:
 * {...} }`); fields that can only hold one type (a statement's `relation`) hold the bare object.
 */
import type { Node, RangeVar } from 'libpg-query';

export type Tree = { [key: string]: unknown };

/** The node's type, e.g. `AlterTableStmt`. */
export function tagOf(node: Node | Tree): string {
  return Object.keys(node)[0] ?? '';
}

/** The body of `node` when it is of type `tag`. */
export function unwrap<T>(node: unknown, tag: string): T | undefined {
  if (node === null || typeof node !== 'object' || !(tag in node)) return undefined;
  return (node as Record<string, T>)[tag];
}

/** Calls `visit(key, object)` for every object in the tree, depth first, the root's key being ''. */
export function walk(value: unknown, visit: (key: string, object: Tree) => void, key = ''): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, key);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  visit(key, value as Tree);
  for (const [child, inner] of Object.entries(value)) walk(inner, visit, child);
}

/** The text of a `String` node. */
export function stringOf(node: unknown): string | undefined {
  return unwrap<{ sval?: string }>(node, 'String')?.sval;
}

/** The texts of a list of `String` nodes (a qualified name). */
export function stringsOf(nodes: unknown): string[] {
  return Array.isArray(nodes) ? nodes.map(stringOf).filter((text): text is string => text !== undefined) : [];
}

/** The value of an `A_Const` (protobuf leaves zeros and empty strings out: `{ ival: {} }` is 0). */
export function constantOf(node: unknown): string | number | boolean | undefined {
  const constant = unwrap<{ ival?: { ival?: number }; sval?: { sval?: string }; fval?: { fval?: string }; boolval?: { boolval?: boolean } }>(node, 'A_Const');
  if (!constant) return undefined;
  if (constant.ival) return constant.ival.ival ?? 0;
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.fval) return Number(constant.fval.fval ?? 0);
  if (constant.boolval) return constant.boolval.boolval ?? false;
  return undefined;
}

/** Every RangeVar in the tree: wrapped ones (`FROM`, `JOIN`) and bare `relation` fields. */
export function rangeVars(tree: unknown): RangeVar[] {
  const found: RangeVar[] = [];
  walk(tree, (key, object) => {
    if (key === 'RangeVar' || ((key === 'relation' || key === 'pktable') && typeof object.relname === 'string')) found.push(object as RangeVar);
  });
  return found;
}
