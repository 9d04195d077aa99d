/**
 * The environment file's schema as a validating function. Actions do not compile it when they run:
 * the build writes it as ajv standalone code (scripts/write-validator.ts, from the same kinds), and
 * @cutover/environment hands that to the loader with its kinds. Compiling the assembled schema took
 * 21-34% of an action's start (a CPU profile of the bundles), and ajv's compiler and fast-uri were
 * about 265 KB of every bundle that loads an environment file. compileValidator is for kinds that
 * no build compiled (tests, a kind being written) and for the build itself.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type Options } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';

/** What the loader needs of a validator: ajv's validate function (errors after a false answer). */
export type SchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * The options the loader's messages rely on: every error. inlineRefs off keeps each of the schema's
 * definitions (a kind, a router's instances) a function of its own, compiled by V8 only when a file
 * uses it (@cutover/environment's schema.ts has the measurement). Not verbose: each error's schema
 * and value are found from its schemaPath and instancePath (standaloneValidatorCode makes the paths
 * whole). No messages: the loader words every keyword a shipped kind uses in its own terms
 * (@cutover/environment's WORDED_KEYWORDS, held to the schema by a test), and ajv's were about 20 KiB
 * of the bundled code. Verbose errors had made it 268 KiB instead of 215 (now 176, without
 * messages and annotations: esbuild's metafile), and compiling it is the
 * largest single part of an action's start: V8 took 13 ms of the 20 ms its import took on this
 * 2-core machine (CPU profile, Node 24).
 */
export const VALIDATOR_OPTIONS: Options = { allErrors: true, strict: false, inlineRefs: false, messages: false };

/**
 * A fresh ajv instance with the loader's options (the build adds code options for standalone
 * output). Not exported: its own compile gives the paths of errors inside a definition from that
 * definition, which the loader cannot place; compileValidator gives them whole.
 */
function validatorAjv(extra: Options = {}): Ajv {
  return new Ajv({ ...VALIDATOR_OPTIONS, ...extra });
}

// Keywords that annotate and never decide (JSON Schema draft-07, 10, and $comment): dropped from the
// schema the code is generated from. ajv's code holds copies of the schema's objects (`const schemaN
// = {...}`, read for an object's allowed properties and an enum's values), descriptions and all:
// 26 KB of the 308 KB generated file were descriptions editors show. The loader reads the whole
// schema (schemaAt), not these. ajv's useDefaults and $comment options are off, so dropping
// `default` and `$comment` changes nothing it does.
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'readOnly', 'writeOnly']);
// Where a schema holds schemas: by name, a list of them, or one.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'items']);
const SCHEMAS = new Set(['additionalProperties', 'additionalItems', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']);

/**
 * `schema` rebuilt with the keywords `keep` accepts, at every level where a schema is (not in
 * `properties`' names, not in an enum's or a const's values).
 */
function rebuildSchema(schema: unknown, keep: (keyword: string) => boolean): unknown {
  // ajv reports a `false` schema's failure under the keyword "false schema": asked, and kept.
  if (schema === false) keep('false schema');
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!keep(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && value && typeof value === 'object' && !Array.isArray(value)) {
      // A dependency may be a list of property names, which rebuildSchema leaves as it is.
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, rebuildSchema(sub, keep)]));
    } else if (SCHEMA_LISTS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((sub) => rebuildSchema(sub, keep));
    } else if (SCHEMAS.has(keyword)) {
      // additionalProperties: false fails as additionalProperties, not as a false schema.
      out[keyword] = value === false && (keyword === 'additionalProperties' || keyword === 'additionalItems') ? value : rebuildSchema(value, keep);
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

/** `schema` without its annotations: the same answers and the same error paths (no keyword that decides moves). */
export function withoutAnnotations(schema: unknown): unknown {
  return rebuildSchema(schema, (keyword) => !ANNOTATIONS.has(keyword));
}

/**
 * Every keyword `schema` uses where its failure is reported, at any depth: an `if` is listed, what
 * it holds is not (a failure there only picks the branch).
 */
export function schemaKeywords(schema: unknown): Set<string> {
  const keywords = new Set<string>();
  rebuildSchema(schema, (keyword) => keywords.add(keyword) && keyword !== 'if');
  return keywords;
}

/**
 * ajv's standalone code for `schema` (CommonJS, or an ES module with `esm`), each error's
 * schemaPath whole: ajv writes the path of an error inside a definition from that definition
 * (`#/properties/upstream/pattern`), and the loader finds the schema of an error by its path
 * (`#/definitions/router-nginx/properties/upstream/pattern`).
 */
export function standaloneValidatorCode(schema: object, esm = false): string {
  const ajv = validatorAjv({ code: { source: true, esm } });
  const validate = ajv.compile(withoutAnnotations(schema) as object) as ReturnType<Ajv['compile']> & { schemaEnv: { refs: Record<string, unknown> } };
  const definitionOf = new Map<string, string>();
  for (const [ref, env] of Object.entries(validate.schemaEnv.refs)) {
    const name = (env as { validateName?: { str?: string } } | undefined)?.validateName?.str;
    const pointer = ref.slice(ref.indexOf('#'));
    if (name && ref.includes('#')) definitionOf.set(name, pointer);
  }
  const code = standalone.default(ajv, validate);
  // Each function's code runs from its `function validateN(` to the next declaration.
  const parts = code.split(/(?=function validate\d+\(|const schema\d+ = |const func\d+ = |const pattern\d+ = )/);
  return parts
    .map((part) => {
      const name = /^function (validate\d+)\(/.exec(part)?.[1];
      const pointer = name ? definitionOf.get(name) : undefined;
      return pointer ? part.replaceAll('schemaPath:"#/', `schemaPath:"${pointer}/`) : part;
    })
    .join('');
}

/** Compiles `schema` now, with the loader's options, into the same code as the build's. */
export function compileValidator(schema: object): SchemaValidator {
  const module = { exports: {} as { default?: SchemaValidator } };
  // As ajv runs the code it generates (new Function); require gives it ajv's runtime helpers.
  new Function('require', 'module', 'exports', standaloneValidatorCode(schema))(createRequire(import.meta.url), module, module.exports);
  return module.exports.default!;
}
