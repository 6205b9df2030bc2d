// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
// The S3 client stays apart (s3-store.ts): a file:// backup never loads the AWS SDK.
export { createDecryptor, createEncryptor } from '../../src/backup/crypto.js';
export { runBackup } from '../../src/backup/backup.js';
export { pruneAfterBackup, pruneBackups } from '../../src/backup/prune.js';
export {
  backupListTables,
  backupSummary,
  drillFailure,
  listSummary,
  pruneSummary,
  restoreSummary,
  retentionTable,
  verifySummary
} from '../../src/backup/summary.js';
export { pickBackup, readCatalog } from '../../src/backup/catalog.js';
export { restoreBackup } from '../../src/backup/restore.js';
export { verifyBackup } from '../../src/backup/verify.js';
