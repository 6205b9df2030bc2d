import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Readable } from 'node:stream';
import { cancellation } from '../kit/cancellation.js';
import { RemoteError } from '../kit/errors.js';
import { parseBackupId } from './id.js';
import type { BackupStore, StaleLeftover, StoredObject } from './storage.js';

export interface S3StoreOptions {
  bucket: string;
  /** `''` or a folder ending in `/`. */
  prefix: string;
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  /** Bytes per multipart part; memory is bounded by about partSize x queueSize. */
  partSize?: number;
  queueSize?: number;
  /** Attempts per request, including the first (SDK standard retry: 5xx, throttling, connection resets). */
  maxAttempts?: number;
  /** Waits between attempts, before jitter (default S3_RETRY_DELAYS_MS). */
  retryDelaysMs?: number[];
}

/**
 * The retry budget of every S3 request: 9 attempts, waiting 1, 2, 4, 8, then 15 s between them, each scaled by a
 * random 0.5-1.0 (so parts in flight do not retry in lockstep): 37 to 75 s of waiting in all. Spaces and RGW
 * restarts, load-balancer failovers and brief network cuts last seconds to tens of seconds; the SDK's default
 * (3 attempts, under a second of waiting in total) fails a nightly backup on the first hiccup, while a store that
 * is still down after a minute is an outage the next night's run should meet instead of a job hanging for hours.
 */
export const S3_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000, 15_000];
/** No TCP connection within 5 s, or a request silent for 30 s, counts as a failed attempt (retried as above). */
const CONNECT_TIMEOUT_MS = 5000;
const REQUEST_IDLE_TIMEOUT_MS = 30_000;

const MiB = 1024 * 1024;
const MAX_PARTS = 10_000;

/**
 * A stream's size is not known up front, so the part size cannot follow it; given a bound on the size it is
 * the smallest (from S3's 5 MiB minimum, in whole MiB) that keeps the bound within S3's 10,000 parts.
 * Without one, 8 MiB parts allow archives up to 78 GiB. Smaller parts are smaller buffers: 3 in flight
 * plus the one being filled is what the upload holds in memory.
 */
export function partSizeFor(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_PART_SIZE;
  return Math.max(5 * MiB, Math.ceil(maxBytes / MAX_PARTS / MiB) * MiB);
}

export const DEFAULT_PART_SIZE = 8 * MiB;
/** Three parts in flight outpace the compressed stream by far; a fourth only added to the peak RSS. */
export const DEFAULT_QUEUE_SIZE = 3;

/**
 * Spaces and other S3-compatible stores reject the SDK's default CRC trailers on streaming bodies
 * (RGW: 411 MissingContentLength), so checksums are only sent when an operation requires them.
 */
export function createS3Client(opts: S3StoreOptions): S3Client {
  const delays = opts.retryDelaysMs ?? S3_RETRY_DELAYS_MS;
  return withoutNodeVersionWarning(
    () =>
      new S3Client({
        region: opts.region || 'us-east-1',
        endpoint: opts.endpoint || undefined,
        forcePathStyle: opts.forcePathStyle ?? false,
        credentials:
          opts.accessKeyId && opts.secretAccessKey
            ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
            : undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        retryStrategy: new ConfiguredRetryStrategy(opts.maxAttempts ?? delays.length + 1, attempt =>
          Math.round(delays[Math.min(attempt, delays.length) - 1]! * (0.5 + Math.random() / 2))
        ),
        requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_IDLE_TIMEOUT_MS }
      })
  );
}

/**
 * The SDK prints a 9-line NodeVersionSupportWarning when the client is made under Node < 22 (the local CLI and
 * rehearsal on Node 20; the runner runs the actions on Node 24). It concerns the SDK's own future releases,
 * pinned here, so it says nothing a user of this suite can act on. The SDK's switch,
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true (aws/aws-sdk-js-v3 issue #7983; read once, in the client
 * constructor), is set only around the constructor so no child process inherits it.
 */
function withoutNodeVersionWarning<T>(make: () => T): T {
  const name = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const before = process.env[name];
  process.env[name] = 'true';
  try {
    return make();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** The access check's failure: the server's answer, then what to fix. */
function accessError(error: Error, hint: string): Error {
  error.message = `S3 access check failed before the backup started: ${error.message}; ${hint}`;
  return error;
}

/** Wraps an SDK failure so the message names the call, the server's code and message, and the request id. */
export function s3Error(call: string, error: unknown): Error {
  if (error instanceof S3ServiceException) {
    return new RemoteError({
      call,
      status: error.$metadata?.httpStatusCode,
      code: error.name,
      serverMessage:
        error.message && error.message !== error.name && error.message !== 'UnknownError'
          ? error.message
          : undefined,
      requestId: error.$metadata?.requestId
    });
  }
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'AbortError') return e;
  return new Error(`${call} failed: ${e.message}`, { cause: e });
}

const isNotFound = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata?.httpStatusCode === 404);

export class S3Store implements BackupStore {
  readonly location: string;
  readonly client: S3Client;

  constructor(private readonly opts: S3StoreOptions) {
    this.client = createS3Client(opts);
    this.location = `s3://${opts.bucket}/${opts.prefix}`;
  }

  keyOf(name: string): string {
    return `${this.opts.prefix}${name}`;
  }

  private call(op: string, name: string): string {
    return `${op} s3://${this.opts.bucket}/${this.keyOf(name)}`;
  }

  /**
   * Proves, before any dump runs, that the keys work and may write here: a one-key listing of the prefix (key id,
   * secret, bucket, read access; its XML error names the cause, where a HEAD's 403 carries no body), then a
   * multipart upload of `name` created and aborted at once (write access; an upload a SIGKILL leaves between the
   * two is a stale leftover prune removes).
   */
  async checkAccess(name: string): Promise<void> {
    const key = this.keyOf(name);
    const hint =
      'check s3-access-key-id, s3-secret-access-key and that the key may read and write this bucket';
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.opts.prefix, MaxKeys: 1 })
      );
    } catch (error) {
      throw accessError(s3Error(`ListObjectsV2 s3://${this.opts.bucket}/${this.opts.prefix}`, error), hint);
    }
    let uploadId: string | undefined;
    try {
      uploadId = (
        await this.client.send(
          new CreateMultipartUploadCommand({
            Bucket: this.opts.bucket,
            Key: key,
            ContentType: 'application/pgp-encrypted'
          })
        )
      ).UploadId;
    } catch (error) {
      throw accessError(s3Error(this.call('CreateMultipartUpload', name), error), hint);
    }
    if (uploadId)
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: key, UploadId: uploadId }))
        .catch((error: unknown) => {
          throw s3Error(
            `AbortMultipartUpload s3://${this.opts.bucket}/${key} (upload id ${uploadId})`,
            error
          );
        });
  }

  async upload(name: string, body: Readable, maxBytes?: number): Promise<void> {
    const key = this.keyOf(name);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.opts.bucket, Key: key, Body: body, ContentType: 'application/pgp-encrypted' },
      partSize: this.opts.partSize ?? partSizeFor(maxBytes),
      queueSize: this.opts.queueSize ?? DEFAULT_QUEUE_SIZE,
      leavePartsOnError: false
    });
    // lib-storage aborts the multipart upload itself on some failures, once, with no retry and only after every
    // part in flight settled: we abort it ourselves (retried, with the request budget), on failure and on cancel.
    const undo = cancellation.addUndo(`abort multipart upload s3://${this.opts.bucket}/${key}`, signal =>
      this.abortUpload(upload, key, signal)
    );
    const onCancel = () => void upload.abort();
    cancellation.signal.addEventListener('abort', onCancel);
    try {
      await upload.done();
      undo.dismiss();
    } catch (error) {
      await undo.run();
      if (cancellation.cancelled) throw cancellation.signal.reason;
      // A failing body stream is reported as itself (e.g. pg_dump's error), not as an S3 failure.
      if (body.errored) throw body.errored;
      throw s3Error(this.call('Upload', name), error);
    } finally {
      cancellation.signal.removeEventListener('abort', onCancel);
    }
  }

  /** Stops `upload` and aborts its multipart upload (found by key when it was still being created). */
  private async abortUpload(upload: Upload, key: string, signal: AbortSignal): Promise<void> {
    await upload.abort();
    const known = (upload as unknown as { uploadId?: string }).uploadId;
    const ids = known
      ? [known]
      : (await this.multipartUploads(key, signal)).filter(u => u.key === key).map(u => u.id);
    for (const id of ids) {
      try {
        await this.client.send(
          new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: key, UploadId: id }),
          { abortSignal: signal }
        );
      } catch (error) {
        if (error instanceof S3ServiceException && error.name === 'NoSuchUpload') continue; // lib-storage did it
        throw s3Error(`AbortMultipartUpload s3://${this.opts.bucket}/${key} (upload id ${id})`, error);
      }
    }
  }

  /** Multipart uploads under `prefix` (not deeper): key, id, when it was started. */
  private async multipartUploads(
    prefix: string,
    signal?: AbortSignal
  ): Promise<{ key: string; id: string; initiated: Date }[]> {
    const out: { key: string; id: string; initiated: Date }[] = [];
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    for (;;) {
      let r;
      try {
        r = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.opts.bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: idMarker
          }),
          { abortSignal: signal }
        );
      } catch (error) {
        throw s3Error(`ListMultipartUploads s3://${this.opts.bucket}/${prefix}`, error);
      }
      for (const u of r.Uploads ?? [])
        if (u.Key && u.UploadId)
          out.push({ key: u.Key, id: u.UploadId, initiated: u.Initiated ?? new Date(0) });
      if (!r.IsTruncated) return out;
      keyMarker = r.NextKeyMarker;
      idMarker = r.NextUploadIdMarker;
    }
  }

  async staleLeftovers(before: Date): Promise<StaleLeftover[]> {
    const uploads = await this.multipartUploads(this.opts.prefix);
    return uploads
      .filter(u => {
        const name = u.key.slice(this.opts.prefix.length);
        const m = /^(.+)\.dump\.pgp$/.exec(name);
        return m && parseBackupId(m[1]!) && u.initiated < before;
      })
      .map(u => ({
        what: `multipart upload of ${u.key} (upload id ${u.id}, started ${u.initiated.toISOString()})`,
        remove: async () => {
          try {
            await this.client.send(
              new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: u.key, UploadId: u.id })
            );
          } catch (error) {
            if (error instanceof S3ServiceException && error.name === 'NoSuchUpload') return;
            throw s3Error(
              `AbortMultipartUpload s3://${this.opts.bucket}/${u.key} (upload id ${u.id})`,
              error
            );
          }
        }
      }));
  }

  async head(name: string): Promise<{ size: number } | undefined> {
    try {
      const r = await this.client.send(
        new HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) })
      );
      return { size: r.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Error(this.call('HeadObject', name), error);
    }
  }

  async read(name: string): Promise<Readable> {
    try {
      const r = await this.client.send(
        new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) })
      );
      return r.Body as Readable;
    } catch (error) {
      throw s3Error(this.call('GetObject', name), error);
    }
  }

  async putText(name: string, text: string, opts: { ifAbsent?: boolean } = {}): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.opts.bucket,
          Key: this.keyOf(name),
          Body: Buffer.from(text),
          ContentType: 'application/json',
          // A conditional write: a manifest is never replaced by another run's (S3 and RGW answer 412).
          IfNoneMatch: opts.ifAbsent ? '*' : undefined
        })
      );
    } catch (error) {
      throw s3Error(this.call('PutObject', name), error);
    }
  }

  async getText(name: string): Promise<string> {
    const body = await this.read(name);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }

  async list(): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      let r;
      try {
        r = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.opts.bucket,
            Prefix: this.opts.prefix,
            Delimiter: '/',
            ContinuationToken: token
          })
        );
      } catch (error) {
        throw s3Error(`ListObjectsV2 s3://${this.opts.bucket}/${this.opts.prefix}`, error);
      }
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        out.push({
          name: o.Key.slice(this.opts.prefix.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified ?? new Date(0)
        });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async remove(name: string): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs Content-MD5 on some S3-compatible stores, which the SDK no longer sends.
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
    } catch (error) {
      throw s3Error(this.call('DeleteObject', name), error);
    }
  }
}
