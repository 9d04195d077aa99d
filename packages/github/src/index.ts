export * from './client.js';
export * from './context.js';
export * from './checks.js';
export * from './deployments.js';
export * from './issues.js';
