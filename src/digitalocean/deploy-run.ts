import type { Logger } from '../kit/log.js';
import type { AppPlatformImage } from './app-platform-image.js';
import type { DigitalOceanClient } from './client.js';
import type { ImageEdit } from './image-edit.js';
import type { RollbackResult } from './rollback.js';
import type { DeploymentPhase } from './types.js';
import type { WaitResult } from './waiter.js';

/**
 * What one deploy-app-platform run is asked, what it reports, and the state its modes share (deploy.ts picks
 * the mode: deploy-update.ts, deploy-create.ts, deploy-rollback.ts).
 */

export type PrintLogs = 'on-failure' | 'always' | 'never';

export interface DeployRequest {
  appId?: string;
  appName?: string;
  /** The spec file: its path (for messages) and text. */
  specFile?: { path: string; text: string };
  component?: string;
  image?: AppPlatformImage;
  registryCredentials?: string;
  /** The project a new app is created in. */
  projectId?: string;
  timeoutMs: number;
  pollIntervalMs: number;
  rollbackTo?: string;
  /** Cancel the deployment when `timeoutMs` passes (default true). */
  cancelOnTimeout?: boolean;
  printLogs: PrintLogs;
  /** Where the full logs file is written. */
  logDir: string;
  env: Record<string, string | undefined>;
  /** Unset placeholder names App Platform resolves itself (`keep-placeholders`); '*' keeps every unset one. */
  keepPlaceholders?: ReadonlySet<string> | '*';
}

export type DeployOutputs = {
  /** The app JSON after the deploy (app_action's `app` output), set on failure too. */
  app?: string;
  /** Each stage's log text (capped; the full text is in the log file). */
  'build-logs'?: string;
  'deploy-logs'?: string;
  'app-id'?: string;
  'deployment-id'?: string;
  'previous-deployment-id'?: string;
  phase?: DeploymentPhase;
  'live-url'?: string;
};

export type DeployMode = 'image' | 'spec-update' | 'create' | 'rollback';

/**
 * How a run ended once a deployment exists: `failure` (one line: why) when it did not serve. Before a deployment
 * exists, a bad input or a refused call is thrown instead.
 */
export interface DeployOutcome {
  mode: DeployMode;
  success: boolean;
  failure?: string;
  appName?: string;
  outputs: DeployOutputs;
  edit?: ImageEdit;
  wait?: WaitResult;
  rollback?: RollbackResult;
  logFile?: string;
  notes: string[];
  durationMs: number;
}

export interface DeployHooks {
  logger: Logger;
  /** Called as soon as each output is known, so outputs exist even if a later call throws. */
  report: (outputs: DeployOutputs) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The state a run's steps share: the request, the outputs reported so far, notes for the summary. */
export class DeployRun {
  readonly outputs: DeployOutputs = {};
  readonly notes: string[] = [];
  readonly log: Logger;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly started: number;

  constructor(
    readonly client: DigitalOceanClient,
    readonly req: DeployRequest,
    readonly hooks: DeployHooks
  ) {
    this.log = hooks.logger;
    this.now = hooks.now ?? Date.now;
    this.sleep = hooks.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.started = this.now();
  }

  /** Records outputs and reports them at once (the glue sets them, so they survive a later throw). */
  set(outputs: DeployOutputs): void {
    Object.assign(this.outputs, outputs);
    this.hooks.report(outputs);
  }

  outcome(o: Omit<DeployOutcome, 'outputs' | 'notes' | 'durationMs'>): DeployOutcome {
    return { ...o, outputs: this.outputs, notes: this.notes, durationMs: this.now() - this.started };
  }
}
