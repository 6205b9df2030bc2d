// Shapes of the simulator's state. API field names are DigitalOcean's (snake_case, see apps.json);
// everything else is the simulator's own bookkeeping.

/** An app spec as the client sent it: kept as plain JSON so unknown fields survive a round trip. */
export type AppSpec = Record<string, unknown> & { name: string };

export type Phase =
  | 'UNKNOWN'
  | 'PENDING_BUILD'
  | 'BUILDING'
  | 'PENDING_DEPLOY'
  | 'DEPLOYING'
  | 'ACTIVE'
  | 'SUPERSEDED'
  | 'ERROR'
  | 'CANCELED';

export const TERMINAL_PHASES: readonly Phase[] = ['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED'];

export type StepStatus = 'UNKNOWN' | 'PENDING' | 'RUNNING' | 'ERROR' | 'SUCCESS';

export interface StepReason {
  code: string;
  message: string;
}

export interface Step {
  name: string;
  status: StepStatus;
  steps?: Step[];
  started_at: string;
  ended_at: string;
  reason?: StepReason;
  component_name?: string;
  message_base?: string;
}

/** godo's cause_details.type (DeploymentCauseDetailsType, apps.gen.go; not in the OpenAPI schema). */
export type CauseType = 'MANUAL' | 'MANUAL_ROLLBACK' | 'AUTO_ROLLBACK' | 'DEPLOY_ON_PUSH' | PlatformCauseType;
/** Deployments the platform creates by itself, with no user action (godo DeploymentCauseDetailsType). */
export type PlatformCauseType = 'AUTOSCALED' | 'MAINTENANCE' | 'UPDATE_DATABASE_TRUSTED_SOURCES';
export const PLATFORM_CAUSES: readonly PlatformCauseType[] = [
  'AUTOSCALED',
  'MAINTENANCE',
  'UPDATE_DATABASE_TRUSTED_SOURCES'
];
export type UserActionName = 'CREATE_DEPLOYMENT' | 'UPDATE_SPEC' | 'ROLLBACK_APP' | 'REVERT_APP_ROLLBACK';

export type LogType = 'BUILD' | 'DEPLOY' | 'RUN';

export interface LogLine {
  component: string;
  at: string;
  text: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v2/apps/<id>/deployments`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or YAML) body, the raw text when it did not parse, undefined when empty. */
  body: unknown;
  status: number;
  /** The JSON body sent back (undefined for empty bodies, a string for non-JSON ones such as a 524 page). */
  response: unknown;
  requestId: string;
  at: string;
}

export interface RegistryAccess {
  /** `127.0.0.1:5000`: the local OCI registry standing in for GHCR / DOCR / Docker Hub. */
  host: string;
  username?: string;
  password?: string;
  /** Default `http`; the local registry has no TLS. */
  scheme?: 'http' | 'https';
}
