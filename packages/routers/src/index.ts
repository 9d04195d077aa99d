export { type AppliedSplit, applySplit, type HostRelease, type Router, targetSplit } from './router.js';
export { createRouter } from './create.js';
export { sharesToSplit } from './plan.js';
export { type ProgramResult, runLocal, shellQuote } from './exec.js';
export { NGINX_LOG_FORMAT } from './nginx-log.js';
export { haproxyRouter, sendOverSocket } from './haproxy.js';
export { parseServersState } from './haproxy-state.js';
export { symlinkExpected } from './symlink-plan.js';
export { poolAddresses, releaseAddresses, symlinkHostAddresses } from './addresses.js';
