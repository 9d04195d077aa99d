/** delivery-metrics' inputs, each refused naming the input. Pure: `read` gives an input's raw text. */
import { InputError } from '@cutover/config';
import { parseWindow, type Window } from './window.js';

export interface MetricsInputs {
  /** Undefined: every environment found. */
  environment?: string;
  window: Window;
  token: string;
  /** Where report.json and index.html go; undefined: the runner's temp directory. */
  directory?: string;
  incidentLabel: string;
}

export function parseMetricsInputs(read: (name: string) => string, now: number): MetricsInputs {
  const environment = read('environment').trim();
  if (/[\r\n]/.test(environment)) throw new InputError('environment: one environment name, or empty for every environment');
  const window = parseWindow(read('since'), read('until'), now);
  const directory = read('directory').trim();
  const incidentLabel = read('incident-label').trim() || 'incident';
  if (incidentLabel.includes(',')) throw new InputError(`incident-label: one label, got "${incidentLabel}"`);
  return {
    ...(environment ? { environment } : {}),
    window,
    token: read('token'),
    ...(directory ? { directory } : {}),
    incidentLabel,
  };
}
