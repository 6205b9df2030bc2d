// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
export { DigitalOceanClient } from '../../src/digitalocean/client.js';
export { checkCertificate } from '../../src/health/certificate.js';
export { runGate } from '../../src/health/gate.js';
export { createHttpProbe } from '../../src/health/probe.js';
export { appPlatformRollback } from '../../src/health/rollback-port.js';
