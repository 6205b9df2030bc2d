const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1.5 MiB`, `512 B`: binary units, one decimal. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `12.3 MB/s` (decimal megabytes, as transfer rates are usually quoted). */
export function formatRate(bytes: number, ms: number): string {
  if (ms <= 0) return '- MB/s';
  return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
}
