/**
 * GitHub's OpenAPI description (the subset in fixtures/github-openapi.json, written by
 * `npm run schema:openapi`) turned into a route table with ajv validators, so the stand-in
 * answers only what GitHub would accept and sends only what GitHub would send.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  /** Path parameters in the order they appear in the template. */
  pathNames: string[];
  pattern: RegExp;
  /** Literal characters in the template: the more, the more specific the route. */
  specificity: number;
  queryNames: Set<string>;
  validateParams: ValidateFunction;
  /** Undefined when the operation takes no JSON body. */
  validateBody: ValidateFunction | undefined;
  bodyRequired: boolean;
  /** Response validators by status code ('200', '201', ...). */
  responses: Map<string, ValidateFunction | null>;
}

export const FIXTURE_PATH = fileURLToPath(new URL('../../fixtures/github-openapi.json', import.meta.url));

/**
 * OpenAPI 3.0 says `nullable: true`; JSON Schema says `type: [..., 'null']`. Converting once
 * lets ajv validate both `$ref`-ed components and inline schemas the same way.
 */
export function toJsonSchema(value: Json): Json {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'nullable') continue;
    // Under `properties` the keys are names, never keywords.
    out[key] =
      key === 'properties' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).map(([name, schema]) => [name, toJsonSchema(schema)]))
        : toJsonSchema(inner);
  }
  if (value.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function resolve<T>(document: JsonObject, node: Json): T {
  if (node && typeof node === 'object' && !Array.isArray(node) && typeof node.$ref === 'string') {
    const parts = node.$ref.slice(2).split('/');
    let target: Json = document;
    for (const part of parts) target = (target as JsonObject)[part] ?? null;
    return resolve<T>(document, target);
  }
  return node as T;
}

function templatePattern(template: string, parameters: Map<string, OpenApiParameter>): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_match, name: string) => {
    names.push(name);
    // Refs and branch names may hold slashes (`heads/release/1.2`), GitHub says so per parameter.
    return parameters.get(name)?.['x-multi-segment'] ? '(.+?)' : '([^/]+?)';
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

function jsonContentSchema(content: unknown): Json | undefined {
  if (!content || typeof content !== 'object') return undefined;
  const media = (content as Record<string, { schema?: Json }>)['application/json'];
  return media?.schema;
}

/** Compiling all 42 operations' schemas takes over a second: each is compiled when first used. */
function lazyValidator(ajv: Ajv, schema: object): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  return validate;
}

export interface OpenApi {
  operations: Operation[];
  ajv: Ajv;
}

export function loadOpenApi(path: string = FIXTURE_PATH): OpenApi {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as JsonObject;
  const document = toJsonSchema(raw) as JsonObject;
  // strict: false because OpenAPI schemas carry keywords ajv does not know (title, x-*, ...);
  // formats are not checked: GitHub's own formats (uri, date-time) are checked loosely by GitHub too.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, coerceTypes: false });
  ajv.addSchema({ $id: 'github', components: document.components ?? {} });
  // Query and path values arrive as strings: a second instance coerces them like GitHub does.
  const paramsAjv = new Ajv({ strict: false, allErrors: true, validateFormats: false, coerceTypes: 'array' });
  paramsAjv.addSchema({ $id: 'github', components: document.components ?? {} });

  const rewriteRefs = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewriteRefs);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, inner]) => [key, key === '$ref' && typeof inner === 'string' ? `github${inner}` : rewriteRefs(inner)]),
    );
  };

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, JsonObject>)) {
    for (const [method, rawOperation] of Object.entries(item)) {
      const operation = rawOperation as JsonObject;
      const parameters = new Map<string, OpenApiParameter>();
      for (const parameter of (operation.parameters as Json[] | undefined) ?? []) {
        const resolved = resolve<OpenApiParameter>(document, parameter);
        parameters.set(resolved.name, resolved);
      }
      const { pattern, names } = templatePattern(template, parameters);
      const properties: JsonObject = {};
      const required: string[] = [];
      for (const parameter of parameters.values()) {
        if (parameter.in !== 'path' && parameter.in !== 'query') continue;
        properties[parameter.name] = rewriteRefs(parameter.schema ?? {});
        if (parameter.required || parameter.in === 'path') required.push(parameter.name);
      }
      const validateParams = lazyValidator(paramsAjv, { type: 'object', properties, required });

      const requestBody = resolve<{ required?: boolean; content?: unknown } | undefined>(document, (operation.requestBody as Json) ?? null);
      const bodySchema = jsonContentSchema(requestBody?.content);
      const validateBody = bodySchema === undefined ? undefined : lazyValidator(ajv, rewriteRefs(bodySchema) as JsonObject);

      const responses = new Map<string, ValidateFunction | null>();
      for (const [status, rawResponse] of Object.entries((operation.responses as JsonObject | undefined) ?? {})) {
        const response = resolve<{ content?: unknown } | null>(document, rawResponse);
        const schema = jsonContentSchema(response?.content);
        responses.set(status, schema === undefined ? null : lazyValidator(ajv, rewriteRefs(schema) as JsonObject));
      }

      operations.push({
        operationId: String(operation.operationId),
        method: method.toUpperCase(),
        template,
        pathNames: names,
        pattern,
        specificity: template.replace(/\{[^}]+\}/g, '').length,
        queryNames: new Set([...parameters.values()].filter((p) => p.in === 'query').map((p) => p.name)),
        validateParams,
        validateBody,
        bodyRequired: requestBody?.required === true,
        responses,
      });
    }
  }
  // Most literal characters first: `/releases/tags/{tag}` before `/releases/{release_id}`.
  operations.sort((a, b) => b.specificity - a.specificity);
  return { operations, ajv };
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

export function matchRoute(operations: readonly Operation[], method: string, pathname: string): RouteMatch | undefined {
  for (const operation of operations) {
    if (operation.method !== method) continue;
    const match = operation.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    operation.pathNames.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    return { operation, params };
  }
  return undefined;
}

/** ajv's errors as one readable line each: `body/output/annotations must NOT have more than 50 items`. */
export function describeErrors(where: string, errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const extra =
      error.keyword === 'enum'
        ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
        : error.keyword === 'additionalProperties'
          ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
          : '';
    return `${where}${error.instancePath} ${error.message ?? error.keyword}${extra}`;
  });
}
