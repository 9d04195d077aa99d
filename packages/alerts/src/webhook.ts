/** A generic webhook: the event as JSON, triggers and resolves alike (receivers filter on `action`). */
import { envName } from '@cutover/config';
import type { FromSchema } from 'json-schema-to-ts';
import { postJson, type Alert, type AlertEvent } from './alert.js';
import type { AlertProvider } from './kind.js';
import { secretUrl } from './secrets.js';

const schema = { type: 'object', additionalProperties: false, required: ['url-env'], properties: { 'url-env': envName } } as const;

export const webhook: AlertProvider<FromSchema<typeof schema>> = {
  kind: 'webhook',
  description: 'A JSON POST to the URL in the named variable.',
  schema,
  variables: (config) => [config['url-env']],
  create: (config, path, env) => webhookAlert(secretUrl(config['url-env'], `${path}.url-env`, env), `webhook (${config['url-env']})`),
};

export function webhookAlert(url: string, label: string): Alert {
  return {
    kind: 'webhook',
    label,
    send: (event: AlertEvent) => postJson(url, { ...event, at: event.at ?? new Date().toISOString() }),
  };
}
