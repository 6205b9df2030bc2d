export const id = 141;
export const ids = [141];
export const modules = {

/***/ 6141:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDecryptor: () => (/* binding */ createDecryptor),
/* harmony export */   createEncryptor: () => (/* binding */ createEncryptor)
/* harmony export */ });
/* harmony import */ var openpgp__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3074);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);


const toWeb = (r) => node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.toWeb(r);
const fromWeb = (s) => node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.fromWeb(s, { highWaterMark: 4 });
async function createEncryptor(opts) {
    if (opts.publicKey) {
        let key;
        try {
            key = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .readKey */ .YZ({ armoredKey: opts.publicKey });
        }
        catch (error) {
            throw new Error(`is not an armored OpenPGP public key: ${error.message}`);
        }
        if (key.isPrivate())
            throw new Error('is a private key; give the public key (gpg --export --armor)');
        try {
            await key.getEncryptionKey();
        }
        catch (error) {
            throw new Error(`has no usable encryption key: ${error.message}`);
        }
        return {
            method: 'public-key',
            keyFingerprints: [key.getFingerprint().toUpperCase()],
            async encrypt(plain, filename) {
                const message = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .createMessage */ .oH({ binary: toWeb(plain), filename });
                return fromWeb(await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .encrypt */ .w({ message, encryptionKeys: key, format: 'binary' }));
            }
        };
    }
    if (!opts.passphrase)
        throw new Error('needs a passphrase or a public key');
    const passphrase = opts.passphrase;
    return {
        method: 'passphrase',
        keyFingerprints: [],
        async encrypt(plain, filename) {
            const message = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .createMessage */ .oH({ binary: toWeb(plain), filename });
            return fromWeb(await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .encrypt */ .w({ message, passwords: [passphrase], format: 'binary' }));
        }
    };
}
async function createDecryptor(opts) {
    let decryptionKeys;
    if (opts.privateKey) {
        let key;
        try {
            key = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .readPrivateKey */ .$k({ armoredKey: opts.privateKey });
        }
        catch (error) {
            throw new Error(`private-key is not an armored OpenPGP private key: ${error.message}`);
        }
        if (!key.isDecrypted()) {
            if (!opts.privateKeyPassphrase)
                throw new Error('private-key is protected: give private-key-passphrase');
            try {
                key = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .decryptKey */ .Vw({ privateKey: key, passphrase: opts.privateKeyPassphrase });
            }
            catch (error) {
                throw new Error(`private-key-passphrase does not unlock private-key: ${error.message}`);
            }
        }
        decryptionKeys = key;
    }
    else if (!opts.passphrase) {
        throw new Error('decrypting needs passphrase, or private-key (+ private-key-passphrase)');
    }
    return {
        async decrypt(cipher) {
            const message = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .readMessage */ ._8({ binaryMessage: toWeb(cipher) });
            const result = await openpgp__WEBPACK_IMPORTED_MODULE_0__/* .decrypt */ .Yc({
                message,
                format: 'binary',
                ...(decryptionKeys ? { decryptionKeys } : { passwords: [opts.passphrase] }),
                // SEIPD v1 would otherwise hold the whole plaintext in memory until the MDC is checked. The MDC is
                // still checked at the end (the stream errors); callers hold back the tail until then.
                config: { allowUnauthenticatedStream: true }
            });
            return fromWeb(result.data);
        }
    };
}


/***/ })

};
