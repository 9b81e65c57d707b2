/**
 * Downloading a file from a list of mirrors into a cache, verified by size and
 * SHA-256, never leaving a partial file behind.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TinyDenseError } from 'tinydense';
import { writeFileAtomic } from './files.js';

/**
 * Every mirror failed to provide a file (unreachable, an HTTP error, or contents
 * whose size or SHA-256 did not match). The message lists each mirror's failure.
 *
 * @example
 * ```ts
 * import { DownloadError, loadMnist } from 'tinydense/node';
 * try { await loadMnist({ source: 'download', mirrors: ['http://127.0.0.1:9/'] }); }
 * catch (e) { if (e instanceof DownloadError) console.error(e.message); }
 * ```
 */
export class DownloadError extends TinyDenseError {}

/** A file to fetch: its name on the mirrors and what it must hash to. */
export interface VerifiedFile {
  /** The file name, appended to each mirror's base URL. */
  readonly name: string;
  /** Its exact size in bytes. */
  readonly size: number;
  /** Its SHA-256, lowercase hex. */
  readonly sha256: string;
}

/**
 * Returns the path of `file` in `cacheDir`, downloading it first if it is not
 * there (or is there but fails verification). Mirrors are tried in order; a file
 * is written to the cache only once its size and SHA-256 match, and atomically.
 *
 * @param file - The file and its expected size and hash.
 * @param mirrors - Base URLs, each ending in `/`.
 * @param cacheDir - The cache directory (created if missing).
 * @param timeoutMs - How long one mirror may take (default 120 s).
 * @returns The cached file's path.
 * @throws {@link DownloadError} when no mirror gives the right bytes.
 */
export async function fetchVerified(file: VerifiedFile, mirrors: readonly string[], cacheDir: string, timeoutMs = 120_000): Promise<string> {
  const path = join(cacheDir, file.name);
  if (existsSync(path) && verify(readFileSync(path), file) === undefined) return path;
  mkdirSync(cacheDir, { recursive: true });
  const failures: string[] = [];
  for (const mirror of mirrors) {
    const url = new URL(file.name, mirror).href;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) {
        failures.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const problem = verify(bytes, file);
      if (problem !== undefined) {
        failures.push(`${url}: ${problem}`);
        continue;
      }
      writeFileAtomic(path, bytes);
      return path;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      failures.push(`${url}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  }
  throw new DownloadError(`could not download ${file.name} from any mirror:\n  ${failures.join('\n  ') || 'no mirrors given'}`);
}

function verify(bytes: Uint8Array, file: VerifiedFile): string | undefined {
  if (bytes.length !== file.size) return `size ${bytes.length} bytes, expected ${file.size}`;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== file.sha256) return `SHA-256 ${sha256}, expected ${file.sha256}`;
  return undefined;
}
