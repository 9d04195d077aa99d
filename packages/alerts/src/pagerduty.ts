/**
 * PagerDuty Events API v2: one event per failing check, deduplicated per environment and check,
 * so that a later healthy run (a scheduled monitor, say) resolves exactly what was triggered.
 */
import { envName, validUrl } from '@cutover/config';
import type { FromSchema } from 'json-schema-to-ts';
import { dedupKey, postJson, type Alert, type AlertEvent } from './alert.js';
import type { AlertProvider } from './kind.js';
import { secret } from './secrets.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['routing-key-env'],
  properties: {
    'routing-key-env': envName,
    url: { type: 'string', description: "Events API endpoint; defaults to PagerDuty's." },
    severity: { enum: ['critical', 'error', 'warning', 'info'] },
  },
} as const;

type PagerDutyConfig = FromSchema<typeof schema>;
export type PagerDutySeverity = NonNullable<PagerDutyConfig['severity']>;

export const pagerduty: AlertProvider<PagerDutyConfig> = {
  kind: 'pagerduty',
  description: 'PagerDuty Events API v2: trigger, and resolve when healthy again.',
  schema,
  // The routing key goes to this URL: it must be one.
  check(config, problem) {
    if (config.url !== undefined && !validUrl(config.url)) problem(['url'], `"${config.url}" is not an http or https URL`);
  },
  variables: (config) => [config['routing-key-env']],
  create(config, path, env) {
    const variable = config['routing-key-env'];
    return pagerDutyAlert(secret(variable, `${path}.routing-key-env`, env), `pagerduty (${variable})`, {
      ...(config.url ? { url: config.url } : {}),
      ...(config.severity ? { severity: config.severity } : {}),
    });
  },
};

/** `severity` is the environment file's, which wins over the event's (a staging key may want warnings only). */
export function pagerDutyEvents(event: AlertEvent, routingKey: string, severity?: PagerDutySeverity): object[] {
  if (event.action === 'resolve') {
    return event.checks.map((check) => ({ routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey(event.environment, check) }));
  }
  const failing = event.failingChecks.length ? event.failingChecks : [{ name: 'watch', observed: event.reason, threshold: '' }];
  return failing.map((check) => ({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(event.environment, check.name),
    client: 'Cutover',
    ...(event.runUrl ? { client_url: event.runUrl, links: [{ href: event.runUrl, text: 'GitHub Actions run' }] } : {}),
    payload: {
      summary: `${event.title}: ${check.name} ${check.observed}`.slice(0, 1024),
      source: event.pool ? `${event.environment}/${event.pool}` : event.environment,
      severity: severity ?? event.severity ?? 'critical',
      timestamp: event.at ?? new Date().toISOString(),
      component: event.pool ?? event.environment,
      group: event.environment,
      class: check.name,
      custom_details: {
        reason: event.reason,
        check: check.name,
        observed: check.observed,
        threshold: check.threshold,
        verdict: event.verdict,
        version: event.version,
        commit: event.commit,
        repository: event.repository,
        run_url: event.runUrl,
        sent_by: event.source,
        failing_checks: event.failingChecks,
      },
    },
  }));
}

export function pagerDutyAlert(routingKey: string, label: string, options: { url?: string; severity?: PagerDutySeverity } = {}): Alert {
  const url = options.url ?? PAGERDUTY_EVENTS_URL;
  return {
    kind: 'pagerduty',
    label,
    async send(event: AlertEvent) {
      // Sequentially: PagerDuty rate-limits bursts per routing key.
      for (const body of pagerDutyEvents(event, routingKey, options.severity)) await postJson(url, body);
    },
  };
}
