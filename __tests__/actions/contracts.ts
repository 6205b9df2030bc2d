/**
 * The contracts of DESIGN.md, as one list: every action.yml must declare exactly these inputs and outputs
 * (plus the deliberate extras below, each of which must be documented in the action's README).
 */
export const CONTRACTS: Record<string, { inputs: string[]; outputs: string[]; required?: string[] }> = {
  backup: {
    inputs: [
      'mode',
      'database-url',
      'storage-url',
      's3-endpoint',
      's3-region',
      's3-access-key-id',
      's3-secret-access-key',
      's3-force-path-style',
      'passphrase',
      'public-key',
      'private-key',
      'private-key-passphrase',
      'keep-daily',
      'keep-monthly',
      'prune',
      'dry-run',
      'backup-id',
      'trusted-source',
      'digitalocean-token',
      'database-cluster',
      'runner-ip-url',
      'api-url'
    ],
    outputs: [
      'backup-id',
      'object-key',
      'size-bytes',
      'sha256',
      'duration-seconds',
      'pruned',
      'kept',
      'restore-seconds'
    ]
  },
  migrate: {
    inputs: [
      'database-url',
      'working-directory',
      'config',
      'target',
      'alembic',
      'requirements',
      'allow-destructive',
      'dry-run',
      'lock-timeout',
      'trusted-source',
      'digitalocean-token',
      'database-cluster',
      'runner-ip-url',
      'api-url'
    ],
    outputs: ['from-revision', 'to-revision', 'applied-count', 'destructive', 'sql-file'],
    required: ['database-url']
  },
  'deploy-app-platform': {
    inputs: [
      'token',
      'app-id',
      'app-name',
      'app-spec',
      'component',
      'image',
      'registry-credentials',
      'timeout',
      'poll-interval',
      'rollback-to',
      'api-url',
      'print-logs'
    ],
    // app, build-logs, deploy-logs: app_action's outputs (issue 14).
    outputs: [
      'app-id',
      'deployment-id',
      'previous-deployment-id',
      'phase',
      'live-url',
      'app',
      'build-logs',
      'deploy-logs'
    ],
    required: ['token']
  },
  'health-gate': {
    inputs: [
      'url',
      'expected-version',
      'initial-delay',
      'interval',
      'request-timeout',
      'window',
      'success-threshold',
      'failure-threshold',
      'max-latency',
      'min-certificate-days',
      'rollback',
      'token',
      'app-id',
      'rollback-to',
      'api-url'
    ],
    outputs: [
      'healthy',
      'rolled-back',
      'outage',
      'rollback-deployment-id',
      'checks',
      'failures',
      'p95-latency-ms',
      'certificate-days-left'
    ],
    required: ['url']
  },
  'build-image': {
    inputs: [
      'image',
      'context',
      'file',
      'tags',
      'build-args',
      'platform',
      'push',
      'registry-username',
      'registry-password',
      'builder',
      'tls-verify',
      'skip-existing'
    ],
    outputs: ['image', 'digest', 'ref', 'tags']
  },
  'import-sqlite': {
    inputs: [
      'sqlite',
      'database-url',
      'dry-run',
      's3-endpoint',
      's3-region',
      's3-access-key-id',
      's3-secret-access-key',
      's3-force-path-style'
    ],
    outputs: ['tables', 'rows', 'verified'],
    required: ['sqlite', 'database-url']
  },
  // Issue 16: one message per event; never fails on delivery.
  notify: {
    inputs: [
      'event',
      'webhook-url',
      'release',
      'environment',
      'url',
      'details',
      'next-step',
      'run-url',
      'timeout'
    ],
    outputs: ['delivered'],
    required: ['event']
  }
};

/** Defaults DESIGN.md fixes. */
export const DEFAULTS: Record<string, Record<string, string>> = {
  backup: {
    mode: 'backup',
    's3-region': 'us-east-1',
    's3-force-path-style': 'false',
    'keep-daily': '30',
    'keep-monthly': '12',
    prune: 'true',
    'trusted-source': 'none',
    'runner-ip-url': 'https://api.ipify.org',
    'api-url': 'https://api.digitalocean.com'
  },
  migrate: {
    'working-directory': '.',
    config: 'alembic.ini',
    target: 'head',
    alembic: 'alembic',
    'allow-destructive': 'false',
    'lock-timeout': '10m',
    'trusted-source': 'none',
    'runner-ip-url': 'https://api.ipify.org',
    'api-url': 'https://api.digitalocean.com'
  },
  'deploy-app-platform': {
    timeout: '30m',
    'poll-interval': '10s',
    'api-url': 'https://api.digitalocean.com',
    'print-logs': 'on-failure'
  },
  'health-gate': {
    'initial-delay': '0s',
    interval: '10s',
    'request-timeout': '5s',
    window: '60s',
    'success-threshold': '3',
    'failure-threshold': '3',
    'min-certificate-days': '7',
    rollback: 'true',
    'api-url': 'https://api.digitalocean.com'
  },
  'build-image': {
    context: '.',
    file: 'Dockerfile',
    platform: 'linux/amd64',
    push: 'true',
    builder: 'auto',
    'tls-verify': 'true',
    'skip-existing': 'true'
  },
  'import-sqlite': { 'dry-run': 'false', 's3-region': 'us-east-1', 's3-force-path-style': 'false' },
  notify: { timeout: '15s' }
};

/** Actions with a `post:` step (the shared trusted-source bundle), run whatever happened (`post-if: always()`). */
export const POST_STEPS: Record<string, { post: string; 'post-if': string }> = {
  migrate: { post: '../../dist/trusted-source-post/index.js', 'post-if': 'always()' },
  backup: { post: '../../dist/trusted-source-post/index.js', 'post-if': 'always()' }
};
