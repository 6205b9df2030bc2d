// Rollback validation with DigitalOcean's condition codes (apps.json app_rollback_validation_condition):
// failing: incompatible_phase, incompatible_result, exceeded_revision_limit, app_pinned,
// database_config_conflict, region_conflict; warnings: image_source_missing_digest, static_site_requires_rebuild.
import { componentsOf, type AppState, type DeploymentState } from './engine.js';

export interface Condition {
  code: string;
  message: string;
  components?: string[];
}

export interface RollbackValidation {
  valid: boolean;
  error?: Condition;
  warnings?: Condition[];
}

const RESULT: Partial<Record<DeploymentState['phase'], string>> = { ERROR: 'failed', CANCELED: 'canceled' };

/**
 * How many newer live revisions a rollback target may be behind, per app tier. The OpenAPI example of
 * exceeded_revision_limit (apps_validate_rollback) says "the deployment is past the maximum historical revision
 * limit of 0 for the \"starter\" app tier": starter keeps none. The other tiers' limits are not published;
 * the simulator assumes 10 (README).
 */
export const TIER_REVISION_LIMITS: Record<string, number> = { starter: 0 };
export const ASSUMED_REVISION_LIMIT = 10;

export const revisionLimitOf = (tier: string): number => TIER_REVISION_LIMITS[tier] ?? ASSUMED_REVISION_LIMIT;

export function validateRollback(
  app: AppState,
  target: DeploymentState,
  revisionLimit: number,
  tier = 'basic'
): RollbackValidation {
  const fail = (code: string, message: string): RollbackValidation => ({
    valid: false,
    error: { code, message }
  });
  if (app.pinnedId)
    return fail(
      'app_pinned',
      `app is pinned to rollback deployment ${app.pinnedId}; commit or revert that rollback first`
    );
  const result = RESULT[target.phase];
  if (result) return fail('incompatible_result', `deployment result "${result}" is unsuitable for rollback`);
  if (target.phase !== 'SUPERSEDED')
    return fail(
      'incompatible_phase',
      target.phase === 'ACTIVE'
        ? 'deployment is the currently active deployment'
        : `deployment phase "${target.phase}" is unsuitable for rollback`
    );
  // Revisions newer than the target that went live: the tier keeps only `revisionLimit` of them.
  const newer = app.deployments
    .slice(0, app.deployments.indexOf(target))
    .filter(d => d.phase === 'ACTIVE' || d.phase === 'SUPERSEDED');
  if (newer.length > revisionLimit)
    return fail(
      'exceeded_revision_limit',
      `the deployment is past the maximum historical revision limit of ${revisionLimit} for the "${tier}" app tier`
    );
  if ((target.spec.region ?? undefined) !== (app.spec.region ?? undefined))
    return fail(
      'region_conflict',
      `deployment region "${String(target.spec.region)}" differs from the app's region "${String(app.spec.region)}"`
    );
  if (JSON.stringify(target.spec.databases ?? []) !== JSON.stringify(app.spec.databases ?? []))
    return fail('database_config_conflict', 'the database configuration changed since the deployment');
  const warnings: Condition[] = [];
  const byTag = componentsOf(target.spec).filter(c => {
    const image = c.spec.image as Record<string, unknown> | undefined;
    return image !== undefined && typeof image === 'object' && image.digest === undefined;
  });
  if (byTag.length > 0)
    warnings.push({
      code: 'image_source_missing_digest',
      components: byTag.map(c => c.name),
      message: 'image source does not pin a digest; the rollback is not guaranteed to restore the old version'
    });
  const sites = componentsOf(target.spec).filter(c => c.kind === 'static_site');
  if (sites.length > 0)
    warnings.push({
      code: 'static_site_requires_rebuild',
      components: sites.map(c => c.name),
      message: 'static sites are rebuilt on rollback'
    });
  return warnings.length > 0 ? { valid: true, warnings } : { valid: true };
}
