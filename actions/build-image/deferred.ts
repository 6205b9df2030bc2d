// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
export { buildImage } from '../../src/image/build-image.js';
export { spawnCommand } from '../../src/image/command.js';
export { buildImageSummary } from '../../src/image/summary.js';
