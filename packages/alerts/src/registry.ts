/** Every alert kind: one line each. A new alert is a file beside these and a line here. */
import type { AlertProvider } from './kind.js';
import { pagerduty } from './pagerduty.js';
import { slack } from './slack.js';
import { webhook } from './webhook.js';

export const ALERT_KINDS: readonly AlertProvider[] = [webhook, slack, pagerduty];
