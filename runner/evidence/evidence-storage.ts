/**
 * Where sealed evidence lies, the local disk or a bucket, and the names its files may have.
 * A storage keeps folders of files, one folder per run that left evidence.
 */

/** What a run left behind: the folder's table of contents. */
export interface EvidenceManifest {
  runId: string;
  recipe: string;
  /** The failure's message, masked; or why documents alone were kept. */
  reason: string;
  capturedAt: string;
  files: string[];
}

/** A document a recipe keeps with its run (`keep(name, content)`): a plain file name with one of these types. */
export const KEPT_DOCUMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.(pdf|png|jpg|jpeg|html|txt|xml)$/;
/** Where a kept document is stored in the folder. */
export const KEPT_PREFIX = 'kept-';

/**
 * The names evidence files may have: `<bot>.png`, `<bot>.html`, `<bot>.trace.zip`, a popup's
 * `<bot>-popup-<n>.png|html`, and a kept document's `kept-<name>`.
 */
export const EVIDENCE_FILE = new RegExp(`^(?:[a-z0-9-]+\\.(?:png|html|trace\\.zip)|${KEPT_PREFIX}${KEPT_DOCUMENT.source.slice(1, -1)})$`);

/**
 * A place for sealed evidence. Files arrive sealed (see {@link EvidenceStore}); the manifest
 * is the storage's to keep. A folder is named by what {@link newFolder} returned, and
 * every method that takes one refuses (null, or nothing) a folder that is not its own.
 */
export interface EvidenceStorage {
  /** Where it is, for logs: the evidence dir, or `s3://bucket/prefix`. */
  readonly where: string;
  /** A private local folder where Playwright writes trace chunks while they are sealed; created on use. */
  readonly scratchDir: string;
  /** A new folder for `runId`'s evidence; its name is stored with the run. */
  newFolder(runId: string): Promise<string>;
  /** Stores one sealed file in the folder. */
  put(folder: string, file: string, sealed: Buffer): Promise<void>;
  /** One sealed file as stored; null when the folder is not the storage's or the file is not there. */
  get(folder: string, file: string): Promise<Buffer | null>;
  /** Stores the folder's manifest, after its files. */
  putManifest(folder: string, manifest: EvidenceManifest): Promise<void>;
  /** The folder's manifest; null when the folder is not the storage's or has none. */
  getManifest(folder: string): Promise<EvidenceManifest | null>;
  /** Deletes the folders last written before `before` (ms since the epoch); returns how many. */
  sweep(before: number): Promise<number>;
}
