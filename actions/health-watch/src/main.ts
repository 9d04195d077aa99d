import { notYetAvailable, runMain } from '@cutover/runtime';

// Placeholder until this action's issue lands: it fails and says so.
await runMain(() => notYetAvailable('health-watch'));
