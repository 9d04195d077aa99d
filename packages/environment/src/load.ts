/** The environment file with every kind Cutover knows: what the actions load. */
import type { Environment, EnvironmentFile, NamedEnvironment } from '@cutover/config';
import * as file from './file.js';
import { DEFAULT_CONFIG_PATH } from './file.js';
import { ENVIRONMENT_KINDS } from './kinds.js';
import * as schema from './schema.js';

/** The JSON Schema of the environment file (schema/cutover.schema.json is written from it). */
export function environmentFileSchema(): object {
  return schema.environmentFileSchema(ENVIRONMENT_KINDS);
}

/** Parses and validates the text of an environment file. Throws ConfigError naming field and line. */
export function parseEnvironmentFile(text: string, source = DEFAULT_CONFIG_PATH): EnvironmentFile {
  return file.parseEnvironmentFile(text, ENVIRONMENT_KINDS, source);
}

/** Reads the environment file at `path` (relative to `workspace`). */
export function loadEnvironmentFile(path = DEFAULT_CONFIG_PATH, workspace = process.cwd()): Promise<EnvironmentFile> {
  return file.loadEnvironmentFile(ENVIRONMENT_KINDS, path, workspace);
}

/** Reads the environment file and picks one environment; the error lists the names it has. */
export function loadEnvironment(name: string, path = DEFAULT_CONFIG_PATH, workspace = process.cwd()): Promise<NamedEnvironment> {
  return file.loadEnvironment(ENVIRONMENT_KINDS, name, path, workspace);
}

/** The environment variables the environment's alerts read secrets from. */
export function alertVariables(environment: Environment): string[] {
  return file.alertVariables(environment, ENVIRONMENT_KINDS);
}
