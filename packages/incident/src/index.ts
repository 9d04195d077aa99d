export * from './deployment.js';
export * from './target.js';
export * from './timeline.js';
export * from './body.js';
export * from './commits.js';
export * from './restore.js';
export * from './report.js';
export * from './local-target.js';
