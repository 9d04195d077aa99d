export { openPglite, openPostgres, sqlError, type Database } from './engine.js';
export {
  filesAtCommit,
  filesInCheckout,
  lastReleaseTag,
  matchesGlobs,
  migrationChanges,
  migrationOrder,
  repositoryRoot,
  resolveBase,
  type BaseRef,
  type MigrationChanges,
} from './git.js';
export { parseMigrationInputs, type MigrationInputs } from './inputs.js';
export { safeLine } from './log.js';
export { DEFAULT_SCHEMA, displayRelation, quoteIdent, relationKey, type RelationName } from './names.js';
export {
  applyBase,
  BaseSchemaError,
  describeFailure,
  liveQueries,
  proveMigrations,
  runQueries,
  type AppliedMigration,
  type LiveQuery,
  type Proof,
  type QueryFailure,
} from './proof.js';
export { liveReads, readsColumn, readsRelation, readsSchema, type LiveReads, type QueryFile, type ReadSite, type RelationReads } from './reads.js';
export { annotationsOf, renderReport, reportTitle, type MigrationReport } from './report.js';
export { checkMigrations, fileFinding, isZeroTimeout, RULES, shorten, type Finding, type Migration, type Rule, type RuleId, type Severity } from './rules.js';
export { checkChanges, edgesFromRunner, run, type MigrationEdges, type MigrationResult } from './run.js';
export { ignoredRules, lineIndex, parseSql, SqlSyntaxError, type SqlStatement } from './sql.js';
export { conclusionOf, fails, VERDICTS, verdictOf, type Verdict } from './verdict.js';
