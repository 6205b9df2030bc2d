import { sleep } from '../kit/retry.js';

/** What one probe of the health URL found. Times are epoch milliseconds from the gate's clock. */
export type ProbeFailureKind =
  'http-status' | 'body' | 'unhealthy' | 'check' | 'version' | 'timeout' | 'network';

export interface ProbeResult {
  /** 1-based position in its series (the window, or the restored-version check). */
  seq: number;
  startedAt: number;
  /** Time to the whole body; for a timeout, the timeout; undefined when no request could be made. */
  latencyMs?: number;
  ok: boolean;
  /** HTTP status, when one came back. */
  status?: number;
  kind?: ProbeFailureKind;
  /** Why the probe failed, one line. */
  reason?: string;
  /** Names of the entries in `checks` that were not ok. */
  failingChecks?: string[];
  /** The version the body reported. */
  version?: string;
}

/** Makes one probe; `seq` and `startedAt` are filled in by the caller's loop. */
export type Probe = () => Promise<Omit<ProbeResult, 'seq' | 'startedAt'>>;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep // chunked: a delay past Node's timer limit would fire at once
};

export interface Thresholds {
  successThreshold: number;
  failureThreshold: number;
  /** p95 latency budget over the window; undefined: not checked. */
  maxLatencyMs?: number;
}
