import fs from 'node:fs/promises';
import path from 'node:path';
import { isDicomError } from '@bonescan/dicom';
import type { IngestService } from './ingest.service';

export interface ImportSummary {
  files: number;
  stored: number;
  duplicates: number;
  /** Files refused, each with the reason; the rest of the folder is imported regardless. */
  refused: Array<{ file: string; reason: string }>;
  scans: number;
}

/** Every regular file under a folder, depth first, in name order so that runs are repeatable. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const sorted = entries.sort((a, b) => a.name.localeCompare(b.name));
  const nested = await Promise.all(
    sorted.map((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
}

/**
 * Imports every file of a folder through the same ingest as C-STORE and STOW-RS. A bad file is reported
 * and skipped; only a failure of the platform itself (database, disk) stops the import.
 */
export async function importFolder(
  folder: string,
  ingest: IngestService,
  onProgress: (done: number, total: number, file: string) => void = () => undefined,
): Promise<ImportSummary> {
  const files = await listFiles(folder);
  const summary: ImportSummary = { files: files.length, stored: 0, duplicates: 0, refused: [], scans: 0 };
  const scans = new Set<string>();
  for (const [index, file] of files.entries()) {
    try {
      const stored = await ingest.store(await fs.readFile(file), { path: 'IMPORT' });
      scans.add(stored.scanId);
      if (stored.outcome === 'STORED') summary.stored += 1;
      else summary.duplicates += 1;
    } catch (error) {
      if (!isDicomError(error)) throw error;
      summary.refused.push({ file: path.relative(folder, file), reason: `${error.code}: ${error.message}` });
    }
    onProgress(index + 1, files.length, file);
  }
  summary.scans = scans.size;
  return summary;
}
