/**
 * DigitalOcean App Platform API v2 shapes, with DigitalOcean's own field names (OpenAPI `apps.json` + godo).
 * Only what this project reads is typed precisely; specs are kept as plain JSON so that fields we do not
 * know survive a GET → edit → PUT round trip untouched.
 */

/** A JSON object as it came from the API or a spec file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type RegistryType = 'DOCR' | 'DOCKER_HUB' | 'GHCR';

export interface ImageSourceSpec {
  registry_type?: RegistryType | 'UNSPECIFIED';
  registry?: string;
  repository?: string;
  tag?: string;
  digest?: string;
  registry_credentials?: string;
  deploy_on_push?: { enabled?: boolean };
}

export interface ComponentSpec {
  name: string;
  image?: ImageSourceSpec;
  [key: string]: unknown;
}

/** The app spec: the component lists are typed, everything else is carried as-is. */
export interface AppSpec {
  name: string;
  region?: string;
  services?: ComponentSpec[];
  workers?: ComponentSpec[];
  jobs?: ComponentSpec[];
  static_sites?: ComponentSpec[];
  functions?: ComponentSpec[];
  databases?: { name: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

export const DEPLOYMENT_PHASES = [
  'UNKNOWN',
  'PENDING_BUILD',
  'BUILDING',
  'PENDING_DEPLOY',
  'DEPLOYING',
  'ACTIVE',
  'SUPERSEDED',
  'ERROR',
  'CANCELED'
] as const;
export type DeploymentPhase = (typeof DEPLOYMENT_PHASES)[number];
export const TERMINAL_PHASES: readonly DeploymentPhase[] = ['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED'];

export type StepStatus = 'UNKNOWN' | 'PENDING' | 'RUNNING' | 'ERROR' | 'SUCCESS';

export interface DeploymentProgressStep {
  name?: string;
  status?: StepStatus;
  steps?: DeploymentProgressStep[];
  started_at?: string;
  ended_at?: string;
  reason?: { code?: string; message?: string };
  component_name?: string;
  message_base?: string;
}

export interface DeploymentProgress {
  pending_steps?: number;
  running_steps?: number;
  success_steps?: number;
  error_steps?: number;
  total_steps?: number;
  steps?: DeploymentProgressStep[];
  summary_steps?: DeploymentProgressStep[];
}

export interface Deployment {
  id: string;
  spec?: AppSpec;
  phase?: DeploymentPhase;
  phase_last_updated_at?: string;
  created_at?: string;
  updated_at?: string;
  cause?: string;
  cloned_from?: string;
  progress?: DeploymentProgress;
  tier_slug?: string;
  services?: { name: string; source_commit_hash?: string }[];
  workers?: { name: string; source_commit_hash?: string }[];
  jobs?: { name: string; source_commit_hash?: string }[];
  static_sites?: { name: string; source_commit_hash?: string }[];
  /** godo only. */
  cause_details?: { type?: string; [key: string]: unknown };
  previous_deployment_id?: string;
}

export interface App {
  id: string;
  owner_uuid?: string;
  spec: AppSpec;
  default_ingress?: string;
  live_url?: string;
  live_url_base?: string;
  live_domain?: string;
  created_at?: string;
  updated_at?: string;
  last_deployment_created_at?: string;
  active_deployment?: Deployment;
  in_progress_deployment?: Deployment;
  pending_deployment?: Deployment;
  pinned_deployment?: Deployment;
  region?: { slug?: string; label?: string };
  tier_slug?: string;
  project_id?: string;
}

export interface PageLinks {
  pages?: { first?: string; prev?: string; next?: string; last?: string };
}

export interface AppProposeResponse {
  app_name_available?: boolean;
  app_name_suggestion?: string;
  app_is_static?: boolean;
  existing_static_apps?: string;
  spec?: AppSpec;
  app_cost?: number;
  app_tier_downgrade_cost?: number;
  max_free_static_apps?: string;
}

export type LogType = 'BUILD' | 'DEPLOY' | 'RUN' | 'RUN_RESTARTED' | 'AUTOSCALE_EVENT' | 'UNSPECIFIED';

export interface LogsResponse {
  live_url?: string;
  historic_urls?: string[];
}

export const ROLLBACK_REFUSAL_CODES = [
  'incompatible_phase',
  'incompatible_result',
  'exceeded_revision_limit',
  'app_pinned',
  'database_config_conflict',
  'region_conflict'
] as const;
export const ROLLBACK_WARNING_CODES = [
  'static_site_requires_rebuild',
  'image_source_missing_digest'
] as const;
export type RollbackConditionCode =
  (typeof ROLLBACK_REFUSAL_CODES)[number] | (typeof ROLLBACK_WARNING_CODES)[number];

export interface RollbackCondition {
  code?: RollbackConditionCode | string;
  message?: string;
  components?: string[];
}

export interface RollbackValidation {
  valid?: boolean;
  error?: RollbackCondition;
  warnings?: RollbackCondition[];
}

export interface AppHealth {
  components?: {
    name?: string;
    cpu_usage_percent?: number;
    memory_usage_percent?: number;
    replicas_desired?: number;
    replicas_ready?: number;
    state?: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  }[];
  functions_components?: { name?: string; functions_component_health_metrics?: unknown[] }[];
}

/** The DigitalOcean error body: `{id, message, request_id?}`. */
export interface ApiErrorBody {
  id?: string;
  message?: string;
  request_id?: string;
}
