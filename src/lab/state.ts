import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listNamespaces, removeNamespaces, removeNamespacesSync } from './netns.js';
import { LAB_NAMESPACE_PREFIX } from './plan.js';

/** Where live labs are recorded, one JSON file each, so `iceleak lab clean` finds crashed runs. */
export const LAB_STATE_DIR = process.env.ICELEAK_LAB_STATE_DIR ?? '/run/iceleak/labs';

/**
 * The record of one live lab (a scenario, or a network of its own: `scenario` is then its name).
 * `ownerPid` null: kept on purpose (`iceleak lab up`) until `down`.
 */
export interface LabRecord {
  id: string;
  scenario: string;
  ownerPid: number | null;
  namespaces: string[];
  tempDirs: string[];
  createdAt: string;
}

function recordPath(id: string): string {
  return join(LAB_STATE_DIR, `${id}.json`);
}

/** Writes (or rewrites) the record of a lab. Written before anything is built, so a crash mid-build is cleanable. */
export function writeLabRecord(record: LabRecord): void {
  mkdirSync(LAB_STATE_DIR, { recursive: true });
  writeFileSync(recordPath(record.id), `${JSON.stringify(record, null, 2)}\n`);
}

/** Every readable lab record. */
export function readLabRecords(): LabRecord[] {
  let files: string[];
  try {
    files = readdirSync(LAB_STATE_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const records: LabRecord[] = [];
  for (const file of files) {
    try {
      records.push(JSON.parse(readFileSync(join(LAB_STATE_DIR, file), 'utf8')) as LabRecord);
    } catch {
      // a record being written right now, or garbage: not ours to judge here
    }
  }
  return records;
}

/** Removes a lab's namespaces (with every process inside), temp dirs and record, without blocking. */
export async function destroyLab(record: Pick<LabRecord, 'id' | 'namespaces' | 'tempDirs'>): Promise<void> {
  await removeNamespaces(record.namespaces);
  for (const dir of record.tempDirs) rmSync(dir, { recursive: true, force: true });
  rmSync(recordPath(record.id), { force: true });
}

/** Removes a lab's namespaces (with every process inside), temp dirs and record. Synchronous: safe on exit. */
export function destroyLabSync(record: Pick<LabRecord, 'id' | 'namespaces' | 'tempDirs'>): void {
  removeNamespacesSync(record.namespaces);
  for (const dir of record.tempDirs) rmSync(dir, { recursive: true, force: true });
  rmSync(recordPath(record.id), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes leftovers: labs whose owner process is dead, or with `all` every lab including
 * kept ones and `il-` namespaces that have no record. Returns the removed lab ids / namespaces.
 */
export async function cleanLabs(options: { all?: boolean } = {}): Promise<string[]> {
  const removed: string[] = [];
  const recorded = new Set<string>();
  for (const record of readLabRecords()) {
    for (const ns of record.namespaces) recorded.add(ns);
    const orphaned = record.ownerPid !== null && !isAlive(record.ownerPid);
    if (options.all || orphaned) {
      await destroyLab(record);
      removed.push(record.id);
    }
  }
  if (options.all) {
    // Only names the lab itself makes (il-<6 hex>-<role>): other tools may use an il- prefix too.
    const ours = new RegExp(`^${LAB_NAMESPACE_PREFIX}[0-9a-f]{6}-[a-z]+$`);
    const strays = listNamespaces().filter((ns) => ours.test(ns) && !recorded.has(ns));
    await removeNamespaces(strays);
    removed.push(...strays);
  }
  return removed;
}
