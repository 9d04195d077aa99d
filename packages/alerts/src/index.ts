export * from './alert.js';
export * from './webhook.js';
export * from './slack.js';
export * from './pagerduty.js';
export * from './create.js';
export * from './send.js';
export * from './context.js';
