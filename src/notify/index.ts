export * from './message.js';
export * from './deliver.js';
