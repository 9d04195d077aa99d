export * from './deployment.js';
export * from './target.js';
