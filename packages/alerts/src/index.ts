export type { Alert, AlertEvent, FailingCheck } from './alert.js';
export { createAlerts } from './create.js';
export { sendAlerts } from './send.js';
export { runContext, type RunContext } from './context.js';
