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
 * whole). Verbose errors made the bundled code 268 KiB instead of 215, and compiling it is the
 * largest single part of an action's start: V8 took 13 ms of the 20 ms its import took on this
 * 2-core machine (CPU profile, Node 24).
 */
export const VALIDATOR_OPTIONS: Options = { allErrors: true, strict: false, inlineRefs: false };

/**
 * A fresh ajv instance with the loader's options (the build adds code options for standalone
 * output). Not exported: its own compile gives the paths of errors inside a definition from that
 * definition, which the loader cannot place; compileValidator gives them whole.
 */
function validatorAjv(extra: Options = {}): Ajv {
  return new Ajv({ ...VALIDATOR_OPTIONS, ...extra });
}

/**
 * ajv's standalone code for `schema` (CommonJS, or an ES module with `esm`), each error's
 * schemaPath whole: ajv writes the path of an error inside a definition from that definition
 * (`#/properties/upstream/pattern`), and the loader finds the schema of an error by its path
 * (`#/definitions/router-nginx/properties/upstream/pattern`).
 */
export function standaloneValidatorCode(schema: object, esm = false): string {
  const ajv = validatorAjv({ code: { source: true, esm } });
  const validate = ajv.compile(schema) as ReturnType<Ajv['compile']> & { schemaEnv: { refs: Record<string, unknown> } };
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
