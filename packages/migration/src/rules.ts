/**
 * The static rules: what in a migration hurts the version still running during a blue-green
 * switch or a canary, read from PostgreSQL's own parse tree. Each finding says why, and the
 * expand/contract way to get the same change. Pure: statements in, findings out.
 */
import type {
  AlterObjectSchemaStmt,
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  CreateTableAsStmt,
  DropStmt,
  IndexStmt,
  LockStmt,
  RangeVar,
  ReindexStmt,
  RenameStmt,
  TruncateStmt,
  VacuumStmt,
  VariableSetStmt,
  ViewStmt,
} from 'libpg-query';
import { displayRelation, quoteIdent, relationFromParts, relationKey, relationOf, type RelationName } from './names.js';
import { readsColumn, readsRelation, readsSchema, type LiveReads, type ReadSite } from './reads.js';
import type { SqlStatement } from './sql.js';
import { constantOf, stringOf, stringsOf, tagOf, unwrap, walk } from './tree.js';

export type Severity = 'breaking' | 'risky';

export type RuleId =
  | 'drop-column'
  | 'drop-table'
  | 'rename-column'
  | 'rename-table'
  | 'change-column-type'
  | 'add-not-null-column'
  | 'set-not-null'
  | 'add-constraint'
  | 'index-concurrently'
  | 'lock-timeout'
  | 'edited-migration'
  | 'syntax-error';

export interface Rule {
  id: RuleId;
  title: string;
  /** Drops and renames are breaking when the live version reads the object, risky otherwise. */
  severity: Severity;
  reason: string;
  instead: string;
}

const CONTRACT =
  'Contract in a later release: first ship code that neither reads nor writes it; drop it once that release is live and no version you may roll back to uses it.';

export const RULES: Record<RuleId, Rule> = {
  'drop-column': {
    id: 'drop-column',
    title: 'Drops a column',
    severity: 'breaking',
    reason: 'During the switch the old version still runs: its statements that name the column fail from the moment the migration runs.',
    instead: CONTRACT,
  },
  'drop-table': {
    id: 'drop-table',
    title: 'Drops a table, view or schema',
    severity: 'breaking',
    reason: 'During the switch the old version still runs: its statements that use the relation fail from the moment the migration runs.',
    instead: CONTRACT,
  },
  'rename-column': {
    id: 'rename-column',
    title: 'Renames a column',
    severity: 'breaking',
    reason: 'For the old version a rename is a drop: its statements name the old column.',
    instead:
      'Expand: add the new column and keep both written (a trigger, or the new code writing both), backfill in batches. Migrate: read the new column. Contract: drop the old one in a later release.',
  },
  'rename-table': {
    id: 'rename-table',
    title: 'Renames or moves a table',
    severity: 'breaking',
    reason: 'For the old version a rename (or SET SCHEMA) is a drop: its statements name the old table.',
    instead:
      'Expand: create the new table (or a view named the new way over the old table), keep both written, backfill. Migrate: use the new name. Contract: drop the old one in a later release.',
  },
  'change-column-type': {
    id: 'change-column-type',
    title: "Changes a column's type",
    severity: 'breaking',
    reason:
      "The old version reads and writes the old type; most type changes also rewrite the table under an ACCESS EXCLUSIVE lock, stopping every query on it for the rewrite's length.",
    instead:
      'Expand: add a column of the new type, write both, backfill in batches. Migrate: read the new column. Contract: drop the old column in a later release.',
  },
  'add-not-null-column': {
    id: 'add-not-null-column',
    title: 'Adds a NOT NULL column without a default',
    severity: 'breaking',
    reason: "The old version's INSERTs do not name the new column and fail on the NOT NULL (and the ALTER itself fails on a table that has rows).",
    instead:
      'Add the column with a constant DEFAULT (no rewrite since PostgreSQL 11), or nullable; backfill; set NOT NULL in a later release, once every running version writes it.',
  },
  'set-not-null': {
    id: 'set-not-null',
    title: 'Sets NOT NULL on an existing column',
    severity: 'breaking',
    reason: 'The old version may still write NULL into the column, and SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.',
    instead:
      'Once every running version writes the column: ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT, then SET NOT NULL (PostgreSQL 12+ trusts the valid check and skips the scan), then drop the check.',
  },
  'add-constraint': {
    id: 'add-constraint',
    title: 'Adds a constraint that is validated at once',
    severity: 'risky',
    reason:
      'Validating a CHECK or a FOREIGN KEY scans the whole table while holding a lock that blocks writes (ACCESS EXCLUSIVE for CHECK; SHARE ROW EXCLUSIVE on both tables for a foreign key).',
    instead:
      'ADD CONSTRAINT … NOT VALID (only new rows are checked; the lock is brief), then ALTER TABLE … VALIDATE CONSTRAINT in its own statement (SHARE UPDATE EXCLUSIVE: reads and writes go on).',
  },
  'index-concurrently': {
    id: 'index-concurrently',
    title: 'Builds or drops an index without CONCURRENTLY',
    severity: 'risky',
    reason: 'CREATE INDEX and REINDEX block every write to the table until the index is built; DROP INDEX takes an ACCESS EXCLUSIVE lock on it.',
    instead:
      'CREATE INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, DROP INDEX CONCURRENTLY: each alone, outside a transaction block. A concurrent build that fails leaves an INVALID index: drop it and build again.',
  },
  'lock-timeout': {
    id: 'lock-timeout',
    title: 'Takes an ACCESS EXCLUSIVE lock without lock_timeout',
    severity: 'risky',
    reason:
      'The statement waits for its ACCESS EXCLUSIVE lock behind every running transaction on the table, and every query on the table queues behind it: a long wait is an outage.',
    instead:
      "SET lock_timeout = '2s' (or what your slowest acceptable pause is) before the statement in the same file, and retry the migration when it times out.",
  },
  'edited-migration': {
    id: 'edited-migration',
    title: 'Edits a released migration',
    severity: 'risky',
    reason: 'The live database already ran this file: the edit never reaches it, and databases built from scratch drift from the live one.',
    instead: 'Leave released migrations as they are; put the change in a new migration.',
  },
  'syntax-error': {
    id: 'syntax-error',
    title: "PostgreSQL's parser refuses the file",
    severity: 'breaking',
    reason: 'The migration would fail when it runs.',
    instead: 'Fix the statement at this line.',
  },
};

export interface Finding {
  rule: RuleId;
  severity: Severity;
  file: string;
  line: number;
  /** What this statement does, with the names it touches. */
  message: string;
  reason: string;
  instead: string;
  /** The statement, shortened to one line. */
  statement: string;
  /** Named in a `-- migration-check: ignore <rule>` comment before the statement. */
  ignored: boolean;
}

export interface Migration {
  file: string;
  statements: SqlStatement[];
  /** The parser refused the file: the proof reports it as failing there, without running it. */
  syntaxError?: { line: number; reason: string };
}

/** One line of at most `max` characters. */
export function shorten(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function site(read: ReadSite): string {
  return `${read.file}:${read.line}`;
}

/** Breaking when the live version reads it (or may: no queries), risky for a contract step. */
function byReads(reads: LiveReads | undefined, read: ReadSite | undefined): { severity: Severity; because: string } {
  if (!reads) return { severity: 'breaking', because: 'no queries were given, so the live version may read it' };
  if (read) return { severity: 'breaking', because: `the live version reads it (${site(read)})` };
  return { severity: 'risky', because: 'no statement of the live version reads it: a contract step, safe once no version you may roll back to uses it' };
}

/** lock_timeout's value turns the timeout off when it is zero in any unit. */
export function isZeroTimeout(value: string | number | boolean | undefined): boolean {
  if (value === undefined || typeof value === 'boolean') return true;
  if (typeof value === 'number') return value === 0;
  return /^\s*0*(\.0*)?\s*[a-z]*\s*$/i.test(value);
}

/** ALTER TABLE actions that take a weaker lock than ACCESS EXCLUSIVE (PostgreSQL's ALTER TABLE page). */
const WEAKER_LOCK = new Set([
  'AT_ValidateConstraint',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_AlterConstraint',
  'AT_AttachPartition',
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrigUser',
]);

const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);
const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);
/** LockStmt's mode number for ACCESS EXCLUSIVE (PostgreSQL's lockdefs.h). */
const ACCESS_EXCLUSIVE_LOCK = 8;

function constraintsOf(column: ColumnDef): Constraint[] {
  return (column.constraints ?? []).map((node) => unwrap<Constraint>(node, 'Constraint')).filter((c): c is Constraint => c !== undefined);
}

/** An added column the old version's INSERTs cannot fill: NOT NULL (or PRIMARY KEY) with no default. */
function addsNotNullWithoutDefault(column: ColumnDef): boolean {
  const constraints = constraintsOf(column);
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  const filled = constraints.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED');
  const serial = SERIAL_TYPES.has(stringsOf(column.typeName?.names).at(-1) ?? '');
  return notNull && !filled && !serial;
}

/** How an added constraint is validated at once, or undefined when it is not (NOT VALID, USING INDEX, NOT NULL). */
function validatedAtOnce(constraint: Constraint): 'scan' | 'index' | undefined {
  if ((constraint.contype === 'CONSTR_CHECK' || constraint.contype === 'CONSTR_FOREIGN') && !constraint.skip_validation) return 'scan';
  if ((constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_EXCLUSION') && !constraint.indexname)
    return 'index';
  return undefined;
}

const INDEX_CONSTRAINT = {
  reason: 'Adding a UNIQUE, PRIMARY KEY or EXCLUDE constraint builds its index under an ACCESS EXCLUSIVE lock: no reads or writes until it is built.',
  instead: 'CREATE UNIQUE INDEX CONCURRENTLY, then ALTER TABLE … ADD CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX.',
};

function describeConstraint(constraint: Constraint): string {
  const kinds: Record<string, string> = {
    CONSTR_CHECK: 'CHECK',
    CONSTR_FOREIGN: 'FOREIGN KEY',
    CONSTR_UNIQUE: 'UNIQUE',
    CONSTR_PRIMARY: 'PRIMARY KEY',
    CONSTR_EXCLUSION: 'EXCLUDE',
  };
  const kind = kinds[constraint.contype ?? ''] ?? 'constraint';
  return constraint.conname ? `${kind} ${quoteIdent(constraint.conname)}` : kind;
}

/**
 * Findings for the migrations added since the live release, in the order they run. Relations
 * they create are new: nobody reads them and nobody waits on their locks, so only the old
 * relations are judged. `reads` undefined means no queries were given.
 */
export function checkMigrations(migrations: Migration[], reads: LiveReads | undefined): Finding[] {
  const findings: Finding[] = [];
  const created = new Set<string>();
  const createdIndexes = new Set<string>();
  const createdSchemas = new Set<string>();
  const isNew = (relation: RelationName) => created.has(relationKey(relation));

  for (const migration of migrations) {
    let lockTimeout = false;
    for (const statement of migration.statements) {
      const found: { rule: RuleId; message: string; severity?: Severity; reason?: string; instead?: string }[] = [];
      /** What the statement locks ACCESS EXCLUSIVE, as shown: a table, or every table of a schema. */
      let exclusive: string | undefined;
      const tag = tagOf(statement.node);
      const body = (statement.node as Record<string, unknown>)[tag];

      switch (tag) {
        case 'VariableSetStmt': {
          const set = body as VariableSetStmt;
          if (set.kind === 'VAR_RESET_ALL') lockTimeout = false;
          else if (set.name === 'lock_timeout') lockTimeout = set.kind === 'VAR_SET_VALUE' && !isZeroTimeout(constantOf(set.args?.[0]));
          break;
        }
        case 'SelectStmt': {
          // SELECT set_config('lock_timeout', '2s', false)
          walk(body, (key, object) => {
            if (key !== 'FuncCall' || stringsOf(object.funcname).at(-1) !== 'set_config') return;
            const args = (object.args as unknown[] | undefined) ?? [];
            if (constantOf(args[0]) === 'lock_timeout') lockTimeout = !isZeroTimeout(constantOf(args[1]));
          });
          break;
        }
        case 'CreateSchemaStmt': {
          const create = body as { schemaname?: string; if_not_exists?: boolean };
          if (create.schemaname && !create.if_not_exists) createdSchemas.add(create.schemaname);
          break;
        }
        case 'CreateStmt': {
          const create = body as CreateStmt;
          // IF NOT EXISTS may meet the old table: it is not known to be new.
          if (create.relation && !create.if_not_exists) created.add(relationKey(relationOf(create.relation)));
          break;
        }
        case 'CreateTableAsStmt': {
          const create = body as CreateTableAsStmt;
          if (create.into?.rel && !create.if_not_exists) created.add(relationKey(relationOf(create.into.rel)));
          break;
        }
        case 'ViewStmt': {
          const view = body as ViewStmt;
          if (view.view && !view.replace) created.add(relationKey(relationOf(view.view)));
          break;
        }
        case 'IndexStmt': {
          const index = body as IndexStmt;
          const relation = index.relation ? relationOf(index.relation) : undefined;
          if (relation && isNew(relation)) {
            if (index.idxname) createdIndexes.add(relationKey({ schema: relation.schema, name: index.idxname }));
          } else if (relation && !index.concurrent) {
            found.push({ rule: 'index-concurrently', message: `CREATE INDEX on ${displayRelation(relation)} without CONCURRENTLY` });
          }
          break;
        }
        case 'ReindexStmt': {
          const reindex = body as ReindexStmt;
          const concurrently = (reindex.params ?? []).some((param) => unwrap<{ defname?: string }>(param, 'DefElem')?.defname === 'concurrently');
          if (!concurrently)
            found.push({
              rule: 'index-concurrently',
              message: `REINDEX ${reindex.relation ? displayRelation(relationOf(reindex.relation)) : (reindex.name ?? '')} without CONCURRENTLY`,
            });
          break;
        }
        case 'AlterTableStmt': {
          const alter = body as AlterTableStmt;
          if (!alter.relation || !RELATION_OBJECTS.has(alter.objtype ?? 'OBJECT_TABLE')) break;
          const relation = relationOf(alter.relation);
          if (isNew(relation)) break;
          const name = displayRelation(relation);
          let takesExclusive = false;
          for (const node of alter.cmds ?? []) {
            const cmd = unwrap<AlterTableCmd>(node, 'AlterTableCmd');
            if (!cmd) continue;
            const constraint = unwrap<Constraint>(cmd.def, 'Constraint');
            const weaker = WEAKER_LOCK.has(cmd.subtype ?? '') || (cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN');
            if (!weaker) takesExclusive = true;
            switch (cmd.subtype) {
              case 'AT_DropColumn': {
                const column = cmd.name ?? '';
                const judged = byReads(reads, reads && readsColumn(reads, relation, column));
                found.push({ rule: 'drop-column', severity: judged.severity, message: `drops column ${name}.${quoteIdent(column)}: ${judged.because}` });
                break;
              }
              case 'AT_AlterColumnType':
                found.push({ rule: 'change-column-type', message: `changes the type of ${name}.${quoteIdent(cmd.name ?? '')}` });
                break;
              case 'AT_SetNotNull':
                found.push({ rule: 'set-not-null', message: `sets NOT NULL on ${name}.${quoteIdent(cmd.name ?? '')}` });
                break;
              case 'AT_AddColumn': {
                const column = unwrap<ColumnDef>(cmd.def, 'ColumnDef');
                if (!column) break;
                const columnName = `${name}.${quoteIdent(column.colname ?? '')}`;
                if (addsNotNullWithoutDefault(column)) found.push({ rule: 'add-not-null-column', message: `adds ${columnName} NOT NULL without a default` });
                for (const inline of constraintsOf(column)) {
                  const how = validatedAtOnce(inline);
                  if (how === 'scan')
                    found.push({ rule: 'add-constraint', message: `adds ${columnName} with a ${describeConstraint(inline)} validated at once` });
                  if (how === 'index')
                    found.push({
                      rule: 'add-constraint',
                      message: `adds ${columnName} with a ${describeConstraint(inline)} and its index`,
                      ...INDEX_CONSTRAINT,
                    });
                }
                break;
              }
              case 'AT_AddConstraint': {
                if (!constraint) break;
                if (constraint.contype === 'CONSTR_NOTNULL') {
                  found.push({
                    rule: 'set-not-null',
                    message: `adds a NOT NULL constraint on ${name}.${stringsOf(constraint.keys).map(quoteIdent).join(', ')}`,
                  });
                  break;
                }
                const how = validatedAtOnce(constraint);
                if (how === 'scan') found.push({ rule: 'add-constraint', message: `adds ${describeConstraint(constraint)} on ${name} without NOT VALID` });
                if (how === 'index')
                  found.push({
                    rule: 'add-constraint',
                    message: `adds ${describeConstraint(constraint)} on ${name}, building its index under the lock`,
                    ...INDEX_CONSTRAINT,
                  });
                break;
              }
            }
          }
          if (takesExclusive) exclusive = name;
          break;
        }
        case 'RenameStmt': {
          const rename = body as RenameStmt;
          if (rename.renameType === 'OBJECT_SCHEMA') {
            const judged = byReads(reads, reads && readsSchema(reads, rename.subname ?? ''));
            found.push({
              rule: 'rename-table',
              severity: judged.severity,
              message: `renames schema ${quoteIdent(rename.subname ?? '')} to ${quoteIdent(rename.newname ?? '')}: ${judged.because}`,
            });
            break;
          }
          if (!rename.relation) break;
          const relation = relationOf(rename.relation);
          if (isNew(relation)) break;
          const name = displayRelation(relation);
          if (rename.renameType === 'OBJECT_COLUMN') {
            const column = rename.subname ?? '';
            const judged = byReads(reads, reads && readsColumn(reads, relation, column));
            found.push({
              rule: 'rename-column',
              severity: judged.severity,
              message: `renames ${name}.${quoteIdent(column)} to ${quoteIdent(rename.newname ?? '')}: ${judged.because}`,
            });
          } else if (RELATION_OBJECTS.has(rename.renameType ?? '')) {
            const judged = byReads(reads, reads && readsRelation(reads, relation));
            found.push({
              rule: 'rename-table',
              severity: judged.severity,
              message: `renames ${name} to ${quoteIdent(rename.newname ?? '')}: ${judged.because}`,
            });
          }
          if (rename.renameType !== 'OBJECT_INDEX') exclusive = name;
          break;
        }
        case 'AlterObjectSchemaStmt': {
          const move = body as AlterObjectSchemaStmt;
          if (!move.relation || !RELATION_OBJECTS.has(move.objectType ?? '')) break;
          const relation = relationOf(move.relation);
          if (isNew(relation)) break;
          const judged = byReads(reads, reads && readsRelation(reads, relation));
          found.push({
            rule: 'rename-table',
            severity: judged.severity,
            message: `moves ${displayRelation(relation)} to schema ${quoteIdent(move.newschema ?? '')}: ${judged.because}`,
          });
          exclusive = displayRelation(relation);
          break;
        }
        case 'DropStmt': {
          const drop = body as DropStmt;
          if (RELATION_OBJECTS.has(drop.removeType ?? '')) {
            for (const object of drop.objects ?? []) {
              const relation = relationFromParts(stringsOf(unwrap<{ items?: unknown[] }>(object, 'List')?.items));
              if (isNew(relation)) continue;
              const judged = byReads(reads, reads && readsRelation(reads, relation));
              found.push({ rule: 'drop-table', severity: judged.severity, message: `drops ${displayRelation(relation)}: ${judged.because}` });
              exclusive ??= displayRelation(relation);
            }
          } else if (drop.removeType === 'OBJECT_SCHEMA') {
            for (const object of drop.objects ?? []) {
              const schema = stringOf(object) ?? '';
              if (createdSchemas.has(schema)) continue;
              const judged = byReads(reads, reads && readsSchema(reads, schema));
              found.push({ rule: 'drop-table', severity: judged.severity, message: `drops schema ${quoteIdent(schema)}: ${judged.because}` });
              exclusive ??= `every table of schema ${quoteIdent(schema)}`;
            }
          } else if (drop.removeType === 'OBJECT_INDEX' && !drop.concurrent) {
            for (const object of drop.objects ?? []) {
              const index = relationFromParts(stringsOf(unwrap<{ items?: unknown[] }>(object, 'List')?.items));
              if (createdIndexes.has(relationKey(index))) continue;
              found.push({ rule: 'index-concurrently', message: `DROP INDEX ${displayRelation(index)} without CONCURRENTLY` });
              exclusive ??= `the table of index ${displayRelation(index)}`;
            }
          }
          break;
        }
        case 'TruncateStmt':
          exclusive = firstOld((body as TruncateStmt).relations, isNew);
          break;
        case 'LockStmt': {
          const lock = body as LockStmt;
          if ((lock.mode ?? ACCESS_EXCLUSIVE_LOCK) === ACCESS_EXCLUSIVE_LOCK) exclusive = firstOld(lock.relations, isNew);
          break;
        }
        case 'VacuumStmt': {
          const vacuum = body as VacuumStmt;
          const full = (vacuum.options ?? []).some((option) => unwrap<{ defname?: string }>(option, 'DefElem')?.defname === 'full');
          if (full)
            exclusive = firstOld(
              (vacuum.rels ?? []).map((rel) => ({ RangeVar: unwrap<{ relation?: RangeVar }>(rel, 'VacuumRelation')?.relation ?? {} })),
              isNew,
            );
          break;
        }
        case 'ClusterStmt': {
          const relation = (body as { relation?: RangeVar }).relation;
          if (relation?.relname && !isNew(relationOf(relation))) exclusive = displayRelation(relationOf(relation));
          break;
        }
        case 'RefreshMatViewStmt': {
          const refresh = body as { concurrent?: boolean; relation?: RangeVar };
          if (!refresh.concurrent && refresh.relation && !isNew(relationOf(refresh.relation))) exclusive = displayRelation(relationOf(refresh.relation));
          break;
        }
      }

      if (exclusive && !lockTimeout)
        found.push({ rule: 'lock-timeout', message: `takes an ACCESS EXCLUSIVE lock on ${exclusive} with no lock_timeout set before it in this file` });
      for (const item of found) {
        const rule = RULES[item.rule];
        findings.push({
          rule: item.rule,
          severity: item.severity ?? rule.severity,
          file: migration.file,
          line: statement.line,
          message: item.message,
          reason: item.reason ?? rule.reason,
          instead: item.instead ?? rule.instead,
          statement: shorten(statement.text),
          ignored: statement.ignored.includes(item.rule),
        });
      }
    }
  }
  return findings;
}

/** The first relation of a list (of RangeVar nodes) that existed before these migrations, as shown. */
function firstOld(nodes: unknown[] | undefined, isNew: (relation: RelationName) => boolean): string | undefined {
  for (const node of nodes ?? []) {
    const range = unwrap<RangeVar>(node, 'RangeVar');
    if (range?.relname && !isNew(relationOf(range))) return displayRelation(relationOf(range));
  }
  return undefined;
}

/** A file-level finding: a syntax error at its line, or a released migration edited (line 1). */
export function fileFinding(rule: 'syntax-error' | 'edited-migration', file: string, line: number, message: string): Finding {
  const { severity, reason, instead } = RULES[rule];
  return { rule, severity, file, line, message, reason, instead, statement: '', ignored: false };
}
