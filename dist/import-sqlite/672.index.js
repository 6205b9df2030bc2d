export const id = 672;
export const ids = [672];
export const modules = {

/***/ 2358:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;
const { PutObjectCommand, ChecksumAlgorithm, CreateMultipartUploadCommand, AbortMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, PutObjectTaggingCommand } = __webpack_require__(3711);
const { toEndpointV1, getEndpointFromInstructions } = __webpack_require__(2085);
const { extendedEncodeURIComponent } = __webpack_require__(3422);
const { EventEmitter } = __webpack_require__(4434);
const { Buffer } = __webpack_require__(181);
const { statSync, ReadStream } = __webpack_require__(3024);
const { Readable } = __webpack_require__(2203);

const runtimeConfigShared = {
    statSync: () => { },
    isFileReadStream(f) {
        return false;
    },
};

const runtimeConfig = {
    ...runtimeConfigShared,
    runtime: "node",
    statSync,
    isFileReadStream(f) {
        return f instanceof ReadStream;
    },
};

const byteLength = (input) => {
    if (input == null) {
        return 0;
    }
    if (typeof input === "string") {
        return Buffer.byteLength(input);
    }
    if (typeof input.byteLength === "number") {
        return input.byteLength;
    }
    else if (typeof input.length === "number") {
        return input.length;
    }
    else if (typeof input.size === "number") {
        return input.size;
    }
    else if (typeof input.start === "number" && typeof input.end === "number") {
        return input.end + 1 - input.start;
    }
    else if (runtimeConfig.isFileReadStream(input)) {
        try {
            return runtimeConfig.statSync(input.path).size;
        }
        catch (error) {
            return undefined;
        }
    }
    return undefined;
};

var BYTE_LENGTH_SOURCE;
(function (BYTE_LENGTH_SOURCE) {
    BYTE_LENGTH_SOURCE["EMPTY_INPUT"] = "a null or undefined Body";
    BYTE_LENGTH_SOURCE["CONTENT_LENGTH"] = "the ContentLength property of the params set by the caller";
    BYTE_LENGTH_SOURCE["STRING_LENGTH"] = "the encoded byte length of the Body string";
    BYTE_LENGTH_SOURCE["TYPED_ARRAY"] = "the byteLength of a typed byte array such as Uint8Array";
    BYTE_LENGTH_SOURCE["LENGTH"] = "the value of Body.length";
    BYTE_LENGTH_SOURCE["SIZE"] = "the value of Body.size";
    BYTE_LENGTH_SOURCE["START_END_DIFF"] = "the numeric difference between Body.start and Body.end";
    BYTE_LENGTH_SOURCE["STAT"] = "the size of the file given by Body.path on disk as reported by statSync";
})(BYTE_LENGTH_SOURCE || (BYTE_LENGTH_SOURCE = {}));
const byteLengthSource = (input, override) => {
    if (override != null) {
        return BYTE_LENGTH_SOURCE.CONTENT_LENGTH;
    }
    if (input == null) {
        return BYTE_LENGTH_SOURCE.EMPTY_INPUT;
    }
    if (typeof input === "string") {
        return BYTE_LENGTH_SOURCE.STRING_LENGTH;
    }
    if (typeof input.byteLength === "number") {
        return BYTE_LENGTH_SOURCE.TYPED_ARRAY;
    }
    else if (typeof input.length === "number") {
        return BYTE_LENGTH_SOURCE.LENGTH;
    }
    else if (typeof input.size === "number") {
        return BYTE_LENGTH_SOURCE.SIZE;
    }
    else if (typeof input.start === "number" && typeof input.end === "number") {
        return BYTE_LENGTH_SOURCE.START_END_DIFF;
    }
    else if (runtimeConfig.isFileReadStream(input)) {
        try {
            runtimeConfig.statSync(input.path).size;
            return BYTE_LENGTH_SOURCE.STAT;
        }
        catch (error) {
            return undefined;
        }
    }
    return undefined;
};

async function* getChunkStream(data, partSize, getNextData) {
    let partNumber = 1;
    const currentBuffer = { chunks: [], length: 0 };
    for await (const datum of getNextData(data)) {
        currentBuffer.chunks.push(datum);
        currentBuffer.length += datum.byteLength;
        while (currentBuffer.length > partSize) {
            const dataChunk = currentBuffer.chunks.length > 1 ? Buffer.concat(currentBuffer.chunks) : currentBuffer.chunks[0];
            yield {
                partNumber,
                data: dataChunk.subarray(0, partSize),
            };
            currentBuffer.chunks = [dataChunk.subarray(partSize)];
            currentBuffer.length = currentBuffer.chunks[0].byteLength;
            partNumber += 1;
        }
    }
    yield {
        partNumber,
        data: currentBuffer.chunks.length !== 1 ? Buffer.concat(currentBuffer.chunks) : currentBuffer.chunks[0],
        lastPart: true,
    };
}

async function* getChunkUint8Array(data, partSize) {
    let partNumber = 1;
    let startByte = 0;
    let endByte = partSize;
    while (endByte < data.byteLength) {
        yield {
            partNumber,
            data: data.subarray(startByte, endByte),
        };
        partNumber += 1;
        startByte = endByte;
        endByte = startByte + partSize;
    }
    yield {
        partNumber,
        data: data.subarray(startByte),
        lastPart: true,
    };
}

async function* getDataReadable(data) {
    for await (const chunk of data) {
        if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) {
            yield chunk;
        }
        else {
            yield Buffer.from(chunk);
        }
    }
}

async function* getDataReadableStream(data) {
    const reader = data.getReader();
    try {
        while (true) {
            const { done, value } = await reader.read();
            if (done) {
                return;
            }
            if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
                yield value;
            }
            else {
                yield Buffer.from(value);
            }
        }
    }
    catch (e) {
        throw e;
    }
    finally {
        reader.releaseLock();
    }
}

const getChunk = (data, partSize) => {
    if (data instanceof Uint8Array) {
        return getChunkUint8Array(data, partSize);
    }
    if (data instanceof Readable) {
        return getChunkStream(data, partSize, getDataReadable);
    }
    if (data instanceof String || typeof data === "string") {
        return getChunkUint8Array(Buffer.from(data), partSize);
    }
    if (typeof data.stream === "function") {
        return getChunkStream(data.stream(), partSize, getDataReadableStream);
    }
    if (data instanceof ReadableStream) {
        return getChunkStream(data, partSize, getDataReadableStream);
    }
    throw new Error("Body Data is unsupported format, expected data to be one of: string | Uint8Array | Buffer | Readable | ReadableStream | Blob;.");
};

class Upload extends EventEmitter {
    static MIN_PART_SIZE = 1024 * 1024 * 5;
    MAX_PARTS = 10_000;
    queueSize = 4;
    partSize;
    leavePartsOnError = false;
    tags = [];
    client;
    params;
    totalBytes;
    totalBytesSource;
    bytesUploadedSoFar;
    abortController;
    concurrentUploaders = [];
    createMultiPartPromise;
    abortMultipartUploadCommand = null;
    uploadedParts = [];
    uploadEnqueuedPartsCount = 0;
    expectedPartsCount;
    uploadId;
    uploadEvent;
    isMultiPart = true;
    singleUploadResult;
    sent = false;
    constructor(options) {
        super();
        this.queueSize = options.queueSize || this.queueSize;
        this.leavePartsOnError = options.leavePartsOnError || this.leavePartsOnError;
        this.tags = options.tags || this.tags;
        this.client = options.client;
        this.params = options.params;
        if (!this.params) {
            throw new Error(`InputError: Upload requires params to be passed to upload.`);
        }
        this.totalBytes = this.params.ContentLength ?? byteLength(this.params.Body);
        this.totalBytesSource = byteLengthSource(this.params.Body, this.params.ContentLength);
        this.bytesUploadedSoFar = 0;
        this.abortController = options.abortController ?? new AbortController();
        this.partSize =
            options.partSize || Math.max(Upload.MIN_PART_SIZE, Math.ceil((this.totalBytes || 0) / this.MAX_PARTS));
        if (this.totalBytes !== undefined) {
            this.expectedPartsCount = Math.ceil(this.totalBytes / this.partSize);
        }
        this.__validateInput();
    }
    async abort() {
        this.abortController.abort();
    }
    async done() {
        if (this.sent) {
            throw new Error("@aws-sdk/lib-storage: this instance of Upload has already executed .done(). Create a new instance.");
        }
        this.sent = true;
        return await Promise.race([this.__doMultipartUpload(), this.__abortTimeout(this.abortController.signal)]);
    }
    on(event, listener) {
        this.uploadEvent = event;
        return super.on(event, listener);
    }
    async __uploadUsingPut(dataPart) {
        this.isMultiPart = false;
        const params = { ...this.params, Body: dataPart.data };
        const clientConfig = this.client.config;
        const requestHandler = clientConfig.requestHandler;
        const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
        const uploadEventListener = (event) => {
            this.bytesUploadedSoFar = event.loaded;
            this.totalBytes = event.total;
            this.__notifyProgress({
                loaded: this.bytesUploadedSoFar,
                total: this.totalBytes,
                part: dataPart.partNumber,
                Key: this.params.Key,
                Bucket: this.params.Bucket,
            });
        };
        if (eventEmitter !== null) {
            eventEmitter.on("xhr.upload.progress", uploadEventListener);
        }
        const resolved = await Promise.all([this.client.send(new PutObjectCommand(params)), clientConfig?.endpoint?.()]);
        const putResult = resolved[0];
        let endpoint = resolved[1];
        if (!endpoint) {
            endpoint = toEndpointV1(await getEndpointFromInstructions(params, PutObjectCommand, {
                ...clientConfig,
            }));
        }
        if (!endpoint) {
            throw new Error('Could not resolve endpoint from S3 "client.config.endpoint()" nor EndpointsV2.');
        }
        if (eventEmitter !== null) {
            eventEmitter.off("xhr.upload.progress", uploadEventListener);
        }
        const locationKey = this.params
            .Key.split("/")
            .map((segment) => extendedEncodeURIComponent(segment))
            .join("/");
        const locationBucket = extendedEncodeURIComponent(this.params.Bucket);
        const Location = (() => {
            const endpointHostnameIncludesBucket = endpoint.hostname.startsWith(`${locationBucket}.`);
            const forcePathStyle = this.client.config.forcePathStyle;
            const optionalPort = endpoint.port ? `:${endpoint.port}` : ``;
            if (forcePathStyle) {
                return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationBucket}/${locationKey}`;
            }
            if (endpointHostnameIncludesBucket) {
                return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationKey}`;
            }
            return `${endpoint.protocol}//${locationBucket}.${endpoint.hostname}${optionalPort}/${locationKey}`;
        })();
        this.singleUploadResult = {
            ...putResult,
            Bucket: this.params.Bucket,
            Key: this.params.Key,
            Location,
        };
        const totalSize = byteLength(dataPart.data);
        this.__notifyProgress({
            loaded: totalSize,
            total: totalSize,
            part: 1,
            Key: this.params.Key,
            Bucket: this.params.Bucket,
        });
    }
    async __createMultipartUpload() {
        const requestChecksumCalculation = await this.client.config.requestChecksumCalculation();
        if (!this.createMultiPartPromise) {
            const createCommandParams = { ...this.params, Body: undefined };
            if (requestChecksumCalculation === "WHEN_SUPPORTED") {
                createCommandParams.ChecksumAlgorithm = this.params.ChecksumAlgorithm || ChecksumAlgorithm.CRC32;
            }
            this.createMultiPartPromise = this.client
                .send(new CreateMultipartUploadCommand(createCommandParams))
                .then((createMpuResponse) => {
                this.abortMultipartUploadCommand = new AbortMultipartUploadCommand({
                    Bucket: this.params.Bucket,
                    Key: this.params.Key,
                    UploadId: createMpuResponse.UploadId,
                });
                return createMpuResponse;
            });
        }
        return this.createMultiPartPromise;
    }
    async __doConcurrentUpload(dataFeeder) {
        for await (const dataPart of dataFeeder) {
            if (this.uploadEnqueuedPartsCount > this.MAX_PARTS) {
                throw new Error(`Exceeded ${this.MAX_PARTS} parts in multipart upload to Bucket: ${this.params.Bucket} Key: ${this.params.Key}.`);
            }
            if (this.abortController.signal.aborted) {
                return;
            }
            if (dataPart.partNumber === 1 && dataPart.lastPart) {
                return await this.__uploadUsingPut(dataPart);
            }
            if (!this.uploadId) {
                const { UploadId } = await this.__createMultipartUpload();
                this.uploadId = UploadId;
                if (this.abortController.signal.aborted) {
                    return;
                }
            }
            const partSize = byteLength(dataPart.data) || 0;
            const requestHandler = this.client.config.requestHandler;
            const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
            let lastSeenBytes = 0;
            const uploadEventListener = (event, request) => {
                const requestPartSize = Number(request.query["partNumber"]) || -1;
                if (requestPartSize !== dataPart.partNumber) {
                    return;
                }
                if (event.total && partSize) {
                    this.bytesUploadedSoFar += event.loaded - lastSeenBytes;
                    lastSeenBytes = event.loaded;
                }
                this.__notifyProgress({
                    loaded: this.bytesUploadedSoFar,
                    total: this.totalBytes,
                    part: dataPart.partNumber,
                    Key: this.params.Key,
                    Bucket: this.params.Bucket,
                });
            };
            if (eventEmitter !== null) {
                eventEmitter.on("xhr.upload.progress", uploadEventListener);
            }
            this.uploadEnqueuedPartsCount += 1;
            this.__validateUploadPart(dataPart);
            const partResult = await this.client.send(new UploadPartCommand({
                ...this.params,
                ContentLength: undefined,
                UploadId: this.uploadId,
                Body: dataPart.data,
                PartNumber: dataPart.partNumber,
            }));
            if (eventEmitter !== null) {
                eventEmitter.off("xhr.upload.progress", uploadEventListener);
            }
            if (this.abortController.signal.aborted) {
                return;
            }
            if (!partResult.ETag) {
                throw new Error(`Part ${dataPart.partNumber} is missing ETag in UploadPart response. Missing Bucket CORS configuration for ETag header?`);
            }
            this.uploadedParts.push({
                PartNumber: dataPart.partNumber,
                ETag: partResult.ETag,
                ...(partResult.ChecksumCRC32 && { ChecksumCRC32: partResult.ChecksumCRC32 }),
                ...(partResult.ChecksumCRC32C && { ChecksumCRC32C: partResult.ChecksumCRC32C }),
                ...(partResult.ChecksumCRC64NVME && { ChecksumCRC64NVME: partResult.ChecksumCRC64NVME }),
                ...(partResult.ChecksumSHA1 && { ChecksumSHA1: partResult.ChecksumSHA1 }),
                ...(partResult.ChecksumSHA256 && { ChecksumSHA256: partResult.ChecksumSHA256 }),
            });
            if (eventEmitter === null) {
                this.bytesUploadedSoFar += partSize;
            }
            this.__notifyProgress({
                loaded: this.bytesUploadedSoFar,
                total: this.totalBytes,
                part: dataPart.partNumber,
                Key: this.params.Key,
                Bucket: this.params.Bucket,
            });
        }
    }
    async __doMultipartUpload() {
        const dataFeeder = getChunk(this.params.Body, this.partSize);
        const concurrentUploaderFailures = [];
        for (let index = 0; index < this.queueSize; index++) {
            const currentUpload = this.__doConcurrentUpload(dataFeeder).catch((err) => {
                concurrentUploaderFailures.push(err);
            });
            this.concurrentUploaders.push(currentUpload);
        }
        await Promise.all(this.concurrentUploaders);
        if (concurrentUploaderFailures.length >= 1) {
            await this.markUploadAsAborted();
            throw concurrentUploaderFailures[0];
        }
        if (this.abortController.signal.aborted) {
            await this.markUploadAsAborted();
            throw Object.assign(new Error("Upload aborted."), { name: "AbortError" });
        }
        let result;
        if (this.isMultiPart) {
            const { expectedPartsCount, uploadedParts, totalBytes, totalBytesSource } = this;
            if (totalBytes !== undefined && expectedPartsCount !== undefined && uploadedParts.length !== expectedPartsCount) {
                await this.markUploadAsAborted();
                throw new Error(`Expected ${expectedPartsCount} part(s) but uploaded ${uploadedParts.length} part(s).
The expected part count is based on the byte-count of the input.params.Body,
which was read from ${totalBytesSource} and is ${totalBytes}.
If this is not correct, provide an override value by setting a number
to input.params.ContentLength in bytes.
`);
            }
            this.uploadedParts.sort((a, b) => a.PartNumber - b.PartNumber);
            const uploadCompleteParams = {
                ...this.params,
                Body: undefined,
                UploadId: this.uploadId,
                MultipartUpload: {
                    Parts: this.uploadedParts,
                },
            };
            try {
                result = await this.client.send(new CompleteMultipartUploadCommand(uploadCompleteParams));
            }
            catch (e) {
                await this.markUploadAsAborted().catch((abortError) => {
                    if (e instanceof Error && e.cause === undefined) {
                        e.cause = abortError;
                    }
                });
                throw e;
            }
            if (typeof result?.Location === "string" && result.Location.includes("%2F")) {
                result.Location = result.Location.replace(/%2F/g, "/");
            }
        }
        else {
            result = this.singleUploadResult;
        }
        this.abortMultipartUploadCommand = null;
        if (this.tags.length) {
            await this.client.send(new PutObjectTaggingCommand({
                ...this.params,
                Tagging: {
                    TagSet: this.tags,
                },
            }));
        }
        return result;
    }
    async markUploadAsAborted() {
        if (this.uploadId && !this.leavePartsOnError && null !== this.abortMultipartUploadCommand) {
            await this.client.send(this.abortMultipartUploadCommand);
            this.abortMultipartUploadCommand = null;
        }
    }
    __notifyProgress(progress) {
        if (this.uploadEvent) {
            this.emit(this.uploadEvent, progress);
        }
    }
    async __abortTimeout(abortSignal) {
        return new Promise((resolve, reject) => {
            abortSignal.onabort = () => {
                const abortError = new Error("Upload aborted.");
                abortError.name = "AbortError";
                reject(abortError);
            };
        });
    }
    __validateUploadPart(dataPart) {
        const actualPartSize = byteLength(dataPart.data);
        if (actualPartSize === undefined) {
            throw new Error(`A dataPart was generated without a measurable data chunk size for part number ${dataPart.partNumber}`);
        }
        if (dataPart.partNumber === 1 && dataPart.lastPart) {
            return;
        }
        if (!dataPart.lastPart && actualPartSize !== this.partSize) {
            throw new Error(`The byte size for part number ${dataPart.partNumber}, size ${actualPartSize} does not match expected size ${this.partSize}`);
        }
    }
    __validateInput() {
        if (!this.client) {
            throw new Error(`InputError: Upload requires a AWS client to do uploads with.`);
        }
        if (this.partSize < Upload.MIN_PART_SIZE) {
            throw new Error(`EntityTooSmall: Your proposed upload part size [${this.partSize}] is smaller than the minimum allowed size [${Upload.MIN_PART_SIZE}] (5MB)`);
        }
        if (this.queueSize < 1) {
            throw new Error(`Queue size: Must have at least one uploading queue.`);
        }
    }
}

__webpack_unused_export__ = Upload;


/***/ }),

/***/ 9672:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createS3Client: () => (/* binding */ createS3Client),
  s3Error: () => (/* binding */ s3Error)
});

// UNUSED EXPORTS: DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, S3Store, S3_RETRY_DELAYS_MS, partSizeFor

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
// EXTERNAL MODULE: ./node_modules/@smithy/core/dist-cjs/submodules/retry/index.js
var retry = __webpack_require__(3609);
// EXTERNAL MODULE: ./src/kit/cancellation.ts
var kit_cancellation = __webpack_require__(9449);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/backup/id.ts

/**
 * Backup ids are the UTC start time: sortable, and readable in a bucket listing.
 * - current form `YYYYMMDDTHHMMSS.mmmZ-xxxxxx` (milliseconds and 24 random bits): two runs started in the same
 *   millisecond still get different ids, so concurrent backups of one database to one prefix never share a name;
 * - older form `YYYYMMDDTHHMMSSZ` (one-second granularity, before 2026-12): still read, listed and restored.
 */
const BACKUP_ID_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{3})Z-([0-9a-f]{6})|Z)$/;
/** The older, one-second id of a start time (kept for reading, and for tests that seed old backups). */
function backupIdFor(date) {
    return date
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}Z$/, 'Z');
}
/** A new backup's id: start time to the millisecond plus a random suffix. */
function uniqueBackupId(date, suffix = randomBytes(3).toString('hex')) {
    return `${date.toISOString().replace(/[-:]/g, '')}-${suffix}`;
}
/** The start time encoded in an id (either form), or undefined when `id` is not one. */
function id_parseBackupId(id) {
    const m = BACKUP_ID_PATTERN.exec(id);
    if (!m)
        return undefined;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7] : 0));
    const canonical = m[7] ? uniqueBackupId(d, m[8]) : backupIdFor(d);
    return canonical === id ? d : undefined;
}
/** Newest first: by start time, then by id (two ids of one instant still have one fixed order). */
function newestFirst(a, b) {
    const dt = b.time.getTime() - a.time.getTime();
    return dt !== 0 ? dt : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
const archiveName = (id) => `${id}.dump.pgp`;
const manifestName = (id) => `${id}.json`;

;// CONCATENATED MODULE: ./src/backup/s3-store.ts






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
    return withoutNodeVersionWarning(() => new dist_cjs.S3Client({
        region: opts.region || 'us-east-1',
        endpoint: opts.endpoint || undefined,
        forcePathStyle: opts.forcePathStyle ?? false,
        credentials: opts.accessKeyId && opts.secretAccessKey
            ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
            : undefined,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        retryStrategy: new retry.ConfiguredRetryStrategy(opts.maxAttempts ?? delays.length + 1, attempt => Math.round(delays[Math.min(attempt, delays.length) - 1] * (0.5 + Math.random() / 2))),
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
    if (error instanceof dist_cjs.S3ServiceException) {
        return new errors/* RemoteError */.Hi({
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
const isNotFound = (error) => error instanceof S3ServiceException &&
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
            await this.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.opts.prefix, MaxKeys: 1 }));
        }
        catch (error) {
            throw accessError(s3Error(`ListObjectsV2 s3://${this.opts.bucket}/${this.opts.prefix}`, error), hint);
        }
        let uploadId;
        try {
            uploadId = (await this.client.send(new CreateMultipartUploadCommand({
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
                .send(new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: key, UploadId: uploadId }))
                .catch((error) => {
                throw s3Error(`AbortMultipartUpload s3://${this.opts.bucket}/${key} (upload id ${uploadId})`, error);
            });
    }
    async upload(name, body, maxBytes) {
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
        const undo = cancellation.addUndo(`abort multipart upload s3://${this.opts.bucket}/${key}`, signal => this.abortUpload(upload, key, signal));
        const onCancel = () => void upload.abort();
        cancellation.signal.addEventListener('abort', onCancel);
        try {
            await upload.done();
            undo.dismiss();
        }
        catch (error) {
            await undo.run();
            if (cancellation.cancelled)
                throw cancellation.signal.reason;
            // A failing body stream is reported as itself (e.g. pg_dump's error), not as an S3 failure.
            if (body.errored)
                throw body.errored;
            throw s3Error(this.call('Upload', name), error);
        }
        finally {
            cancellation.signal.removeEventListener('abort', onCancel);
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
                await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: key, UploadId: id }), { abortSignal: signal });
            }
            catch (error) {
                if (error instanceof S3ServiceException && error.name === 'NoSuchUpload')
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
                r = await this.client.send(new ListMultipartUploadsCommand({
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
            return m && parseBackupId(m[1]) && u.initiated < before;
        })
            .map(u => ({
            what: `multipart upload of ${u.key} (upload id ${u.id}, started ${u.initiated.toISOString()})`,
            remove: async () => {
                try {
                    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: u.key, UploadId: u.id }));
                }
                catch (error) {
                    if (error instanceof S3ServiceException && error.name === 'NoSuchUpload')
                        return;
                    throw s3Error(`AbortMultipartUpload s3://${this.opts.bucket}/${u.key} (upload id ${u.id})`, error);
                }
            }
        }));
    }
    async head(name) {
        try {
            const r = await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
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
            const r = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
            return r.Body;
        }
        catch (error) {
            throw s3Error(this.call('GetObject', name), error);
        }
    }
    async putText(name, text, opts = {}) {
        try {
            await this.client.send(new PutObjectCommand({
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
                r = await this.client.send(new ListObjectsV2Command({
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
            await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.keyOf(name) }));
        }
        catch (error) {
            throw s3Error(this.call('DeleteObject', name), error);
        }
    }
}


/***/ })

};
