export const id = 526;
export const ids = [526];
export const modules = {

/***/ 4526:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3Store: () => (/* binding */ S3Store)
/* harmony export */ });
/* unused harmony exports partSizeFor, DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, createS3Client, s3Error */
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3711);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2358);
/* harmony import */ var _kit_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3713);



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
    return new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.S3Client({
        region: opts.region || 'us-east-1',
        endpoint: opts.endpoint || undefined,
        forcePathStyle: opts.forcePathStyle ?? false,
        credentials: opts.accessKeyId && opts.secretAccessKey
            ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
            : undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: opts.maxAttempts ?? 6
    });
}
/** Wraps an SDK failure so the message names the call, the server's code and message, and the request id. */
function s3Error(call, error) {
    if (error instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.S3ServiceException) {
        return new _kit_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RemoteError */ .Hi({
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
const isNotFound = (error) => error instanceof _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.S3ServiceException &&
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
    async upload(name, body, maxBytes) {
        // lib-storage aborts the multipart upload itself when a part or the body fails (leavePartsOnError false).
        const upload = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__/* .Upload */ ._({
            client: this.client,
            params: {
                Bucket: this.opts.bucket,
                Key: this.keyOf(name),
                Body: body,
                ContentType: 'application/pgp-encrypted'
            },
            partSize: this.opts.partSize ?? partSizeFor(maxBytes),
            queueSize: this.opts.queueSize ?? DEFAULT_QUEUE_SIZE,
            leavePartsOnError: false
        });
        try {
            await upload.done();
        }
        catch (error) {
            // A failing body stream is reported as itself (e.g. pg_dump's error), not as an S3 failure.
            if (body.errored)
                throw body.errored;
            throw s3Error(this.call('Upload', name), error);
        }
    }
    async head(name) {
        try {
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
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
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.GetObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
            return r.Body;
        }
        catch (error) {
            throw s3Error(this.call('GetObject', name), error);
        }
    }
    async putText(name, text) {
        try {
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.PutObjectCommand({
                Bucket: this.opts.bucket,
                Key: this.keyOf(name),
                Body: Buffer.from(text),
                ContentType: 'application/json'
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
                r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.ListObjectsV2Command({
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
            await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__.DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
        }
        catch (error) {
            throw s3Error(this.call('DeleteObject', name), error);
        }
    }
}


/***/ })

};
