/**
 * What the live version touches: the relations and columns its statements (the `queries` input)
 * name. Conservative on purpose: an unqualified column counts for every relation of its statement,
 * `*` and an INSERT without a column list for every column, so a drop is never judged safe
 * because a name was attributed to the wrong table.
 */
import type { RangeVar } from 'libpg-query';
import { relationKey, relationOf, type RelationName } from './names.js';
import type { SqlStatement } from './sql.js';
import { stringOf, unwrap, walk, rangeVars, type Tree } from './tree.js';

export interface ReadSite {
  file: string;
  line: number;
}

export interface RelationReads {
  relation: RelationName;
  /** The first statement that names the relation. */
  at: ReadSite;
  /** Columns named, each with the first statement naming it. */
  columns: Map<string, ReadSite>;
  /** The first statement that reads every column (`*`, INSERT without a column list). */
  allColumns?: ReadSite;
}

export type LiveReads = Map<string, RelationReads>;

export interface QueryFile {
  file: string;
  statements: SqlStatement[];
}

interface InStatement {
  relation: RelationName;
  alias?: string;
}

function note(reads: LiveReads, relation: RelationName, site: ReadSite): RelationReads {
  const key = relationKey(relation);
  let entry = reads.get(key);
  if (!entry) {
    entry = { relation, at: site, columns: new Map() };
    reads.set(key, entry);
  }
  return entry;
}

function noteColumn(entry: RelationReads, column: string | '*', site: ReadSite): void {
  if (column === '*') entry.allColumns ??= site;
  else if (!entry.columns.has(column)) entry.columns.set(column, site);
}

/** Relations of the statement a qualifier (`u` in `u.email`, `billing.Invoices` in a 3-part name) names. */
function qualified(relations: InStatement[], qualifier: string[]): InStatement[] {
  const name = qualifier.at(-1)!;
  const schema = qualifier.length > 1 ? qualifier.at(-2) : undefined;
  return relations.filter((r) => (r.alias === name && !schema) || (r.relation.name === name && (!schema || r.relation.schema === schema)));
}

/** Names of ResTargets (INSERT's column list, UPDATE's SET). */
function targetNames(list: unknown): string[] {
  return Array.isArray(list) ? list.map((item) => unwrap<{ name?: string }>(item, 'ResTarget')?.name).filter((name): name is string => !!name) : [];
}

export function liveReads(files: QueryFile[]): LiveReads {
  const reads: LiveReads = new Map();
  for (const { file, statements } of files) {
    for (const statement of statements) {
      const site = { file, line: statement.line };
      const relations: InStatement[] = rangeVars(statement.node).map((range: RangeVar) => ({ relation: relationOf(range), alias: range.alias?.aliasname }));
      const entries = new Map(relations.map((r) => [r, note(reads, r.relation, site)]));
      const columnOf = (targets: InStatement[], column: string) => targets.forEach((target) => noteColumn(entries.get(target)!, column, site));
      walk(statement.node, (key, object: Tree) => {
        if (key === 'ColumnRef') {
          const fields = (object.fields as unknown[] | undefined) ?? [];
          const star = fields.some((field) => unwrap(field, 'A_Star') !== undefined);
          const names = fields.map(stringOf).filter((name): name is string => name !== undefined);
          const column = star ? '*' : names.at(-1);
          const qualifier = star ? names : names.slice(0, -1);
          if (column === undefined) return;
          columnOf(qualifier.length > 0 ? qualified(relations, qualifier) : relations, column);
        } else if (key === 'InsertStmt' || key === 'UpdateStmt') {
          const range = object.relation as RangeVar | undefined;
          const target = relations.filter((r) => range && r.relation.name === range.relname && r.relation.schema === relationOf(range).schema);
          if (key === 'InsertStmt') {
            const columns = targetNames(object.cols);
            // Without a column list, VALUES fill the columns in order: every column matters.
            if (columns.length === 0) columnOf(target, '*');
            columns.forEach((column) => columnOf(target, column));
            const conflict = object.onConflictClause as { targetList?: unknown; infer?: { indexElems?: unknown[] } } | undefined;
            targetNames(conflict?.targetList).forEach((column) => columnOf(target, column));
            for (const element of conflict?.infer?.indexElems ?? []) {
              const name = unwrap<{ name?: string }>(element, 'IndexElem')?.name;
              if (name) columnOf(target, name);
            }
          } else {
            targetNames(object.targetList).forEach((column) => columnOf(target, column));
          }
        }
      });
    }
  }
  return reads;
}

export function readsRelation(reads: LiveReads, relation: RelationName): ReadSite | undefined {
  return reads.get(relationKey(relation))?.at;
}

export function readsColumn(reads: LiveReads, relation: RelationName, column: string): ReadSite | undefined {
  const entry = reads.get(relationKey(relation));
  return entry?.columns.get(column) ?? entry?.allColumns;
}

/** The first read of any relation in `schema`. */
export function readsSchema(reads: LiveReads, schema: string): ReadSite | undefined {
  return [...reads.values()].find((entry) => entry.relation.schema === schema)?.at;
}
