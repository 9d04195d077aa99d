/**
 * Schema pieces the kinds share (durations, argv lists, addresses, SSH targets, shares): each kind's
 * file builds its fragment from them. `as const`, so that its types can be derived from the schema.
 */
import { DURATION_PATTERN } from './duration.js';
import { RATE_PATTERN } from './inputs.js';

export const duration = { type: 'string', pattern: DURATION_PATTERN, description: 'A duration: 500ms, 30s, 1m30s, 10m, 1h.' } as const;

export const argv = {
  type: 'array',
  minItems: 1,
  items: { type: 'string' },
  description: 'A program and its arguments, as a list: never a shell string.',
} as const;

/** A TCP port, 1 to 65535. */
const PORT = '(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';

/**
 * host:port, the host a name or an IPv4 address. A pool's address is written into nginx's
 * configuration and HAProxy's commands as it is: letters, digits, ".", "_" and "-" only ("#x:80"
 * made nginx read the rest of its server line as a comment).
 */
export const HOST_PORT = `[A-Za-z0-9_][A-Za-z0-9_.-]*:${PORT}`;
export const ADDRESS_PATTERN = `^${HOST_PORT}$`;

export const address = { type: 'string', pattern: ADDRESS_PATTERN, description: 'host:port' } as const;

/** An absolute path of plain characters: it may reach a remote shell as an argument. */
export const PATH_PATTERN = '^/[A-Za-z0-9_.@+/-]+$';

/** A name: of a pool, an environment, a check, a router instance, a kind; letters, digits, ".", "_" and "-". */
export const NAME_PATTERN = '^[A-Za-z0-9_.-]+$';

export const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'The name of an environment variable.' } as const;

/** A share: a number from 0 to 1, or a percentage. */
export const rate = {
  anyOf: [
    { type: 'number', minimum: 0, maximum: 1 },
    { type: 'string', pattern: RATE_PATTERN },
  ],
  description: 'A share: a number from 0 to 1 or a percentage such as "1%".',
} as const;

/** A name that ssh cannot read as an option (no leading '-') and with no blanks. */
export const SAFE_NAME_PATTERN = '^[^-\\s]\\S*$';

export const ssh = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  description: 'Act on a remote host over SSH (ssh -o BatchMode=yes), with the same code path as locally.',
  properties: {
    // A leading '-' would be read by ssh as an option.
    host: { type: 'string', minLength: 1, pattern: SAFE_NAME_PATTERN, description: 'Host name or address.' },
    user: { type: 'string', minLength: 1, pattern: SAFE_NAME_PATTERN, description: "Login user (default: the runner's)." },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SSH port (default 22).' },
    'identity-file': { type: 'string', minLength: 1, description: 'Private key file (ssh -i).' },
    'known-hosts-file': { type: 'string', minLength: 1, description: 'known_hosts file to trust (host keys are always checked).' },
    options: { type: 'array', items: { type: 'string' }, description: 'Extra -o options, such as StrictHostKeyChecking=accept-new.' },
  },
} as const;

/** A URL template ({address}, {pool} filled in) is an http(s) URL. */
export function validUrl(text: string): boolean {
  try {
    const url = new URL(text.replace(/\{address\}/g, '127.0.0.1:1').replace(/\{pool\}/g, 'pool'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A share written as a number from 0 to 1 or as a percentage: 0.01 or "1%". */
export type Rate = number | string;
