/** Relation names as PostgreSQL resolves them: unquoted names arrive folded to lower case. */
import type { RangeVar } from 'libpg-query';

/** Unqualified names resolve to this schema (PostgreSQL's default search_path). */
export const DEFAULT_SCHEMA = 'public';

export interface RelationName {
  schema: string;
  name: string;
}

export function relationOf(range: RangeVar): RelationName {
  return { schema: range.schemaname || DEFAULT_SCHEMA, name: range.relname ?? '' };
}

/** From a qualified name's parts (`['billing', 'Invoices']` or `['users']`). */
export function relationFromParts(parts: string[]): RelationName {
  const name = parts.at(-1) ?? '';
  const schema = parts.length > 1 ? parts.at(-2)! : DEFAULT_SCHEMA;
  return { schema, name };
}

/** A map key; NUL cannot appear in an identifier, so no two relations share one. */
export function relationKey(relation: RelationName): string {
  return `${relation.schema}\u0000${relation.name}`;
}

/** An identifier as SQL would write it: quoted when it is not all lower case letters, digits and _. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `users`, `billing."Invoices"`: the schema is shown when it is not the default. */
export function displayRelation(relation: RelationName): string {
  return relation.schema === DEFAULT_SCHEMA ? quoteIdent(relation.name) : `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`;
}
