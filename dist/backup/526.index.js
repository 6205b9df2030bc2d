export const id = 526;
export const ids = [526];
export const modules = {

/***/ 4526:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3Store: () => (/* binding */ S3Store)
/* harmony export */ });
/* unused harmony exports S3_RETRY_DELAYS_MS, partSizeFor, DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, createS3Client, s3Error */
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3711);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2358);
/* harmony import */ var _smithy_core_retry__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3609);
/* harmony import */ var _kit_cancellation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9449);
/* harmony import */ var _kit_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3713);
/* harmony import */ var _id_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8613);






/**
 * The retry budget of every S3 request: 9 attempts, waiting 1, 2, 4, 8, then 15 s between them, each scaled by a
 * random 0.5-1.0 (so parts in flight do not retry in lockstep): 37 to 75 s of waiting in all. Spaces and RGW
 * restarts, load-balancer failovers and brief network cuts last seconds to tens of seconds; the SDK's default
 * (3 attempts, under a second of waiting in total) fails a nightly backup on the first hiccup, while a store that
 * is still down after a minute is an outage the next night's run should meet instead of a job hanging for hours.
 */
const S3_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000, 15_000];
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
function partSizeFor(maxBytes) {
    if (maxBytes === undefined)
        return DEFAULT_PART_SIZE;
    return Math.max(5 * MiB, Math.ceil(maxBytes / MAX_PARTS / MiB) * MiB);
}
const DEFAULT_PART_SIZE = 8 * MiB;
/** Three parts in flight outpace the compressed stream by far; a fourth only added to the peak RSS. */
const DEFAULT_QUEUE_SIZE = 3;
/**
 * Spaces and other S3-compatible stores reject the SDK's default CRC trailers on streaming bodies
 * (RGW: 411 MissingContentLength), so checksums are only sent when an operation requires them.
 */
function createS3Client(opts) {
    const delays = opts.retryDelaysMs ?? S3_RETRY_DELAYS_MS;
    return withoutNodeVersionWarning(() => new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.S3Client({
        region: opts.region || 'us-east-1',
        endpoint: opts.endpoint || undefined,
        forcePathStyle: opts.forcePathStyle ?? false,
        credentials: opts.accessKeyId && opts.secretAccessKey
            ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
            : undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        retryStrategy: new _smithy_core_retry__WEBPACK_IMPORTED_MODULE_5__.ConfiguredRetryStrategy(opts.maxAttempts ?? delays.length + 1, attempt => Math.round(delays[Math.min(attempt, delays.length) - 1] * (0.5 + Math.random() / 2))),
        requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_IDLE_TIMEOUT_MS }
    }));
}
/**
 * The SDK prints a 9-line NodeVersionSupportWarning when the client is made under Node < 22 (the local CLI and
 * rehearsal on Node 20; the runner runs the actions on Node 24). It concerns the SDK's own future releases,
 * pinned here, so it says nothing a user of this suite can act on. The SDK's switch,
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true (aws/aws-sdk-js-v3 issue #7983; read once, in the client
 * constructor), is set only around the constructor so no child process inherits it.
 */
function withoutNodeVersionWarning(make) {
    const name = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
    const before = process.env[name];
    process.env[name] = 'true';
    try {
        return make();
    }
    finally {
        if (before === undefined)
            delete process.env[name];
        else
            process.env[name] = before;
    }
}
/** The access check's failure: the server's answer, then what to fix. */
function accessError(error, hint) {
    error.message = `S3 access check failed before the backup started: ${error.message}; ${hint}`;
    return error;
}
/** Wraps an SDK failure so the message names the call, the server's code and message, and the request id. */
function s3Error(call, error) {
    if (error instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.S3ServiceException) {
        return new _kit_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .RemoteError */ .Hi({
            call,
            status: error.$metadata?.httpStatusCode,
            code: error.name,
            serverMessage: error.message && error.message !== error.name && error.message !== 'UnknownError'
                ? error.message
                : undefined,
            requestId: error.$metadata?.requestId
        });
    }
    const e = error instanceof Error ? error : new Error(String(error));
    if (e.name === 'AbortError')
        return e;
    return new Error(`${call} failed: ${e.message}`, { cause: e });
}
const isNotFound = (error) => error instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.S3ServiceException &&
    (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata?.httpStatusCode === 404);
class S3Store {
    opts;
    location;
    client;
    constructor(opts) {
        this.opts = opts;
        this.client = createS3Client(opts);
        this.location = `s3://${opts.bucket}/${opts.prefix}`;
    }
    keyOf(name) {
        return `${this.opts.prefix}${name}`;
    }
    call(op, name) {
        return `${op} s3://${this.opts.bucket}/${this.keyOf(name)}`;
    }
    /**
     * Proves, before any dump runs, that the keys work and may write here: a one-key listing of the prefix (key id,
     * secret, bucket, read access; its XML error names the cause, where a HEAD's 403 carries no body), then a
     * multipart upload of `name` created and aborted at once (write access; an upload a SIGKILL leaves between the
     * two is a stale leftover prune removes).
     */
    async checkAccess(name) {
        const key = this.keyOf(name);
        const hint = 'check s3-access-key-id, s3-secret-access-key and that the key may read and write this bucket';
        try {
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.opts.prefix, MaxKeys: 1 }));
        }
        catch (error) {
            throw accessError(s3Error(`ListObjectsV2 s3://${this.opts.bucket}/${this.opts.prefix}`, error), hint);
        }
        let uploadId;
        try {
            uploadId = (await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.CreateMultipartUploadCommand({
                Bucket: this.opts.bucket,
                Key: key,
                ContentType: 'application/pgp-encrypted'
            }))).UploadId;
        }
        catch (error) {
            throw accessError(s3Error(this.call('CreateMultipartUpload', name), error), hint);
        }
        if (uploadId)
            await this.client
                .send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: key, UploadId: uploadId }))
                .catch((error) => {
                throw s3Error(`AbortMultipartUpload s3://${this.opts.bucket}/${key} (upload id ${uploadId})`, error);
            });
    }
    async upload(name, body, maxBytes) {
        const key = this.keyOf(name);
        const upload = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__/* .Upload */ ._({
            client: this.client,
            params: { Bucket: this.opts.bucket, Key: key, Body: body, ContentType: 'application/pgp-encrypted' },
            partSize: this.opts.partSize ?? partSizeFor(maxBytes),
            queueSize: this.opts.queueSize ?? DEFAULT_QUEUE_SIZE,
            leavePartsOnError: false
        });
        // lib-storage aborts the multipart upload itself on some failures, once, with no retry and only after every
        // part in flight settled: we abort it ourselves (retried, with the request budget), on failure and on cancel.
        const undo = _kit_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .cancellation */ .WN.addUndo(`abort multipart upload s3://${this.opts.bucket}/${key}`, signal => this.abortUpload(upload, key, signal));
        const onCancel = () => void upload.abort();
        _kit_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .cancellation */ .WN.signal.addEventListener('abort', onCancel);
        try {
            await upload.done();
            undo.dismiss();
        }
        catch (error) {
            await undo.run();
            if (_kit_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .cancellation */ .WN.cancelled)
                throw _kit_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .cancellation */ .WN.signal.reason;
            // A failing body stream is reported as itself (e.g. pg_dump's error), not as an S3 failure.
            if (body.errored)
                throw body.errored;
            throw s3Error(this.call('Upload', name), error);
        }
        finally {
            _kit_cancellation_js__WEBPACK_IMPORTED_MODULE_1__/* .cancellation */ .WN.signal.removeEventListener('abort', onCancel);
        }
    }
    /** Stops `upload` and aborts its multipart upload (found by key when it was still being created). */
    async abortUpload(upload, key, signal) {
        await upload.abort();
        const known = upload.uploadId;
        const ids = known
            ? [known]
            : (await this.multipartUploads(key, signal)).filter(u => u.key === key).map(u => u.id);
        for (const id of ids) {
            try {
                await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: key, UploadId: id }), { abortSignal: signal });
            }
            catch (error) {
                if (error instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.S3ServiceException && error.name === 'NoSuchUpload')
                    continue; // lib-storage did it
                throw s3Error(`AbortMultipartUpload s3://${this.opts.bucket}/${key} (upload id ${id})`, error);
            }
        }
    }
    /** Multipart uploads under `prefix` (not deeper): key, id, when it was started. */
    async multipartUploads(prefix, signal) {
        const out = [];
        let keyMarker;
        let idMarker;
        for (;;) {
            let r;
            try {
                r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.ListMultipartUploadsCommand({
                    Bucket: this.opts.bucket,
                    Prefix: prefix,
                    KeyMarker: keyMarker,
                    UploadIdMarker: idMarker
                }), { abortSignal: signal });
            }
            catch (error) {
                throw s3Error(`ListMultipartUploads s3://${this.opts.bucket}/${prefix}`, error);
            }
            for (const u of r.Uploads ?? [])
                if (u.Key && u.UploadId)
                    out.push({ key: u.Key, id: u.UploadId, initiated: u.Initiated ?? new Date(0) });
            if (!r.IsTruncated)
                return out;
            keyMarker = r.NextKeyMarker;
            idMarker = r.NextUploadIdMarker;
        }
    }
    async staleLeftovers(before) {
        const uploads = await this.multipartUploads(this.opts.prefix);
        return uploads
            .filter(u => {
            const name = u.key.slice(this.opts.prefix.length);
            const m = /^(.+)\.dump\.pgp$/.exec(name);
            return m && (0,_id_js__WEBPACK_IMPORTED_MODULE_3__/* .parseBackupId */ .JN)(m[1]) && u.initiated < before;
        })
            .map(u => ({
            what: `multipart upload of ${u.key} (upload id ${u.id}, started ${u.initiated.toISOString()})`,
            remove: async () => {
                try {
                    await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: u.key, UploadId: u.id }));
                }
                catch (error) {
                    if (error instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.S3ServiceException && error.name === 'NoSuchUpload')
                        return;
                    throw s3Error(`AbortMultipartUpload s3://${this.opts.bucket}/${u.key} (upload id ${u.id})`, error);
                }
            }
        }));
    }
    async head(name) {
        try {
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
            return { size: r.ContentLength ?? 0 };
        }
        catch (error) {
            if (isNotFound(error))
                return undefined;
            throw s3Error(this.call('HeadObject', name), error);
        }
    }
    async read(name) {
        try {
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.GetObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
            return r.Body;
        }
        catch (error) {
            throw s3Error(this.call('GetObject', name), error);
        }
    }
    async putText(name, text, opts = {}) {
        try {
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.PutObjectCommand({
                Bucket: this.opts.bucket,
                Key: this.keyOf(name),
                Body: Buffer.from(text),
                ContentType: 'application/json',
                // A conditional write: a manifest is never replaced by another run's (S3 and RGW answer 412).
                IfNoneMatch: opts.ifAbsent ? '*' : undefined
            }));
        }
        catch (error) {
            throw s3Error(this.call('PutObject', name), error);
        }
    }
    async getText(name) {
        const body = await this.read(name);
        const chunks = [];
        for await (const chunk of body)
            chunks.push(Buffer.from(chunk));
        return Buffer.concat(chunks).toString('utf8');
    }
    async list() {
        const out = [];
        let token;
        do {
            let r;
            try {
                r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.ListObjectsV2Command({
                    Bucket: this.opts.bucket,
                    Prefix: this.opts.prefix,
                    Delimiter: '/',
                    ContinuationToken: token
                }));
            }
            catch (error) {
                throw s3Error(`ListObjectsV2 s3://${this.opts.bucket}/${this.opts.prefix}`, error);
            }
            for (const o of r.Contents ?? []) {
                if (!o.Key)
                    continue;
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
    async remove(name) {
        // One DeleteObject per key: DeleteObjects needs Content-MD5 on some S3-compatible stores, which the SDK no longer sends.
        try {
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__.DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
        }
        catch (error) {
            throw s3Error(this.call('DeleteObject', name), error);
        }
    }
}


/***/ })

};
