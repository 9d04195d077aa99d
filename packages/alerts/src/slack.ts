/**
 * A Slack incoming webhook with Block Kit blocks. Resolves are not posted: a monitor that runs every
 * few minutes would fill the channel with "healthy" (PagerDuty closes incidents instead).
 */
import { envName } from '@cutover/config';
import type { FromSchema } from 'json-schema-to-ts';
import { postJson, type Alert, type AlertEvent } from './alert.js';
import type { AlertProvider } from './kind.js';
import { secretUrl } from './secrets.js';

const schema = { type: 'object', additionalProperties: false, required: ['url-env'], properties: { 'url-env': envName } } as const;

export const slack: AlertProvider<FromSchema<typeof schema>> = {
  kind: 'slack',
  description: 'A Slack incoming webhook (blocks); the URL in the named variable.',
  schema,
  variables: (config) => [config['url-env']],
  create: (config, path, env) => slackAlert(secretUrl(config['url-env'], `${path}.url-env`, env), `slack (${config['url-env']})`),
};

/** Slack's mrkdwn needs &, < and > escaped. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackMessage(event: AlertEvent): object {
  const fields = [
    ['Environment', event.environment],
    ['Verdict', event.verdict],
    ['Pool', event.pool],
    ['Version', event.version],
    ['Commit', event.commit?.slice(0, 12)],
    ['Source', event.source],
  ].filter((pair): pair is [string, string] => Boolean(pair[1]));
  const checks = event.failingChecks.map((check) => `• *${escape(check.name)}*: ${escape(check.observed)} (allowed: ${escape(check.threshold)})`);
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: event.title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: escape(event.reason).slice(0, 3000) } },
    { type: 'section', fields: fields.map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${escape(value)}` })) },
  ];
  if (checks.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Failing checks*\n${checks.join('\n')}`.slice(0, 3000) } });
  if (event.runUrl) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${event.runUrl}|Run on GitHub Actions>` }] });
  return { text: `${event.title}: ${event.reason}`, blocks };
}

export function slackAlert(url: string, label: string): Alert {
  return {
    kind: 'slack',
    label,
    async send(event: AlertEvent) {
      if (event.action === 'resolve') return;
      await postJson(url, slackMessage(event));
    },
  };
}
