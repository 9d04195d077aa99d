/**
 * The environment file's schema as a validating function. Actions do not compile it when they run:
 * the build writes it as ajv standalone code (scripts/write-validator.ts, from the same kinds), and
 * @cutover/environment hands that to the loader with its kinds. Compiling the assembled schema took
 * 21-34% of an action's start (a CPU profile of the bundles), and ajv's compiler and fast-uri were
 * about 265 KB of every bundle that loads an environment file. compileValidator is for kinds that
 * no build compiled (tests, a kind being written) and for the build itself.
 */
import { Ajv, type ErrorObject, type Options } from 'ajv';

/** What the loader needs of a validator: ajv's validate function (errors after a false answer). */
export type SchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * The options the loader's messages rely on: every error, and each error's schema and data (verbose).
 * inlineRefs off keeps each of the schema's definitions (a kind, a router's instances) a function of
 * its own, compiled by V8 only when a file uses it (@cutover/environment's schema.ts has the measurement).
 */
export const VALIDATOR_OPTIONS: Options = { allErrors: true, strict: false, verbose: true, inlineRefs: false };

/** A fresh ajv instance with the loader's options (the build adds code options for standalone output). */
export function validatorAjv(extra: Options = {}): Ajv {
  return new Ajv({ ...VALIDATOR_OPTIONS, ...extra });
}

/** Compiles `schema` now, with the loader's options. */
export function compileValidator(schema: object): SchemaValidator {
  return validatorAjv().compile(schema);
}
