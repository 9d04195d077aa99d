/**
 * Every kind Cutover knows, from the registries of the packages that implement them: the
 * environment file's schema is assembled from these (schema.ts), and files load
 * against them. A new router, check or alert needs no line here: its registry line is enough.
 * Their validator is the build's standalone code (scripts/write-validator.ts), compiled from them.
 */
import { ALERT_KINDS } from '@cutover/alerts';
import type { EnvironmentKinds } from '@cutover/config';
import { CHECK_KINDS } from '@cutover/health';
import { ROUTER_KINDS } from '@cutover/routers';
import { validate } from './validate.generated.js';

export const ENVIRONMENT_KINDS: EnvironmentKinds = { routers: ROUTER_KINDS, checks: CHECK_KINDS, alerts: ALERT_KINDS, validate };
