export type { Alert, AlertEvent, FailingCheck } from './alert.js';
export { createAlert, createAlerts } from './create.js';
export type { AlertProvider } from './kind.js';
export { ALERT_KINDS } from './registry.js';
export { AlertConfigError } from './secrets.js';
export { sendAlerts } from './send.js';
export { runContext, type RunContext } from './context.js';
