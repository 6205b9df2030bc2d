export * from './url.js';
export * from './binaries.js';
export * from './server.js';
