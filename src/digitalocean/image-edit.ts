import { InputError } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { describeImage, type AppPlatformImage } from './app-platform-image.js';
import { IMAGE_COMPONENT_KINDS, selectComponent, type ComponentKind } from './components.js';
import type { AppSpec, ImageSourceSpec } from './types.js';

/**
 * Pins an image in an app spec. A spec read from the API is edited in a deep copy and only the `image` we mean
 * to change is touched: every other field, including `EV[1:…]` encrypted secrets, goes back exactly as it came
 * (PUT replaces the whole spec).
 */

export interface ImageEdit {
  spec: AppSpec;
  kind: ComponentKind;
  component: string;
  before?: ImageSourceSpec;
  after: ImageSourceSpec;
  /** True when the spec changed (same digest again = no change: App Platform would not redeploy). */
  changed: boolean;
  /** Components pinned together with `component` (same repository, or named in `component`). */
  alsoPinned: string[];
  /** Other components using the same repository at another version, left as they are (named components only). */
  sameRepository: string[];
}

const SOURCE_KEYS = ['git', 'github', 'gitlab', 'bitbucket'];

/**
 * Returns a copy of `spec` running `ref`. `componentNames` (the `component` input, comma-separated) names the
 * components to change; without it, the only service is changed together with every service, worker and job
 * whose image is the same repository (a PRE_DEPLOY migration job on the release image must run the release,
 * not the old digest). Per component only `image` changes: registry fields, digest xor tag, and
 * `registry_credentials` when given (otherwise the stored, encrypted value is sent back as it came).
 */
export function replaceImage(
  spec: AppSpec,
  componentNames: string | undefined,
  ref: AppPlatformImage,
  registryCredentials?: string
): ImageEdit {
  const copy = structuredClone(spec);
  const named = componentNames
    ?.split(',')
    .map(n => n.trim())
    .filter(Boolean);
  const primary = selectComponent(copy, named?.[0]);
  const targets = [primary];
  for (const name of named?.slice(1) ?? []) targets.push(selectComponent(copy, name));
  const sameRepo = (img: ImageSourceSpec | undefined, other: ImageSourceSpec | undefined) =>
    !!img &&
    !!other &&
    img.repository === other.repository &&
    (img.registry ?? '') === (other.registry ?? '');
  const primaryImage = primary.component.image;
  if (!named)
    for (const kind of IMAGE_COMPONENT_KINDS)
      (copy[kind] ?? []).forEach((c, index) => {
        if (c === primary.component || !c.image) return;
        if (sameRepo(c.image, primaryImage) || sameRepo(c.image, refImage(ref)))
          targets.push({ kind, index, component: c });
      });
  let before: ImageSourceSpec | undefined;
  let after: ImageSourceSpec | undefined;
  let changed = false;
  for (const t of targets) {
    const source = SOURCE_KEYS.find(k => t.component[k] !== undefined);
    if (source)
      throw new InputError(
        'component',
        `'${t.component.name}' is built from a ${source} source, not an image; deploy an image component`
      );
    const old = t.component.image ? structuredClone(t.component.image) : undefined;
    const image = pinImage(t.component.image, ref, registryCredentials);
    copy[t.kind]![t.index] = { ...t.component, image };
    changed ||= JSON.stringify(old) !== JSON.stringify(image);
    if (t === primary) {
      before = old;
      after = image;
    }
  }
  const pinned = new Set(targets.map(t => t.component.name));
  const sameRepository: string[] = [];
  for (const k of IMAGE_COMPONENT_KINDS)
    for (const c of copy[k] ?? []) {
      if (pinned.has(c.name) || !c.image) continue;
      if (sameRepo(c.image, after) && (c.image.digest !== after!.digest || c.image.tag !== after!.tag))
        sameRepository.push(`${k}/${c.name}`);
    }
  return {
    spec: copy,
    kind: primary.kind,
    component: primary.component.name,
    before,
    after: after!,
    alsoPinned: targets.slice(1).map(t => `${t.kind}/${t.component.name}`),
    changed,
    sameRepository
  };
}

function refImage(ref: AppPlatformImage): ImageSourceSpec {
  return { registry: ref.registry_type === 'DOCR' ? undefined : ref.registry, repository: ref.repository };
}

function pinImage(
  current: ImageSourceSpec | undefined,
  ref: AppPlatformImage,
  registryCredentials: string | undefined
): ImageSourceSpec {
  const image: ImageSourceSpec = { ...(current ?? {}) };
  image.registry_type = ref.registry_type;
  if (ref.registry_type === 'DOCR') delete image.registry;
  else image.registry = ref.registry;
  image.repository = ref.repository;
  if (ref.digest) {
    image.digest = ref.digest;
    delete image.tag;
    // deploy_on_push follows a tag; a pinned digest has nothing to follow.
    delete image.deploy_on_push;
  } else {
    image.tag = ref.tag;
    delete image.digest;
  }
  if (registryCredentials) image.registry_credentials = registryCredentials;
  return image;
}

/** Says what an edit changed; a tag (not a digest) is also a note for the summary: its rollback is not exact. */
export function logImageEdit(edit: ImageEdit, log: Logger, notes: string[]): void {
  log.info(
    `Component ${edit.kind}/${edit.component}: ${describeImage(edit.before)} -> ${describeImage(edit.after)}`
  );
  if (edit.alsoPinned.length)
    log.info(`Same image pinned in ${edit.alsoPinned.join(', ')} (same repository)`);
  if (edit.sameRepository.length)
    log.warning(
      `Also using ${edit.after.repository} at another version, left unchanged: ${edit.sameRepository.join(', ')}`
    );
  if (edit.after.tag) {
    const msg = `Deploying by tag '${edit.after.tag}': a rollback to this deployment is not exact; prefer a digest (image@sha256:…)`;
    log.warning(msg);
    notes.push(msg);
  }
}
