/** A generic webhook: the event as JSON, triggers and resolves alike (receivers filter on `action`). */
import { postJson, type Alert, type AlertEvent } from './alert.js';

export function webhookAlert(url: string, label: string): Alert {
  return {
    kind: 'webhook',
    label,
    send: (event: AlertEvent) => postJson(url, { ...event, at: event.at ?? new Date().toISOString() }),
  };
}
