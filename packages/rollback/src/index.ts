// The rollback package: the rollback action's run, its inputs, and the incident's text (which
// delivery-metrics reads back).
export { readRollbackInputs, type RollbackInputs } from './inputs.js';
export { post, run } from './run.js';
export { INCIDENT_LABEL, incidentMarker, renderIncidentBody, type IncidentFacts } from './incident/body.js';
export { buildTimeline } from './incident/timeline.js';
