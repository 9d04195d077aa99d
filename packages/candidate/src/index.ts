export * from './archive.js';
export * from './gate.js';
export * from './manifest.js';
export * from './tar.js';
export * from './verify.js';
export * from './version.js';
