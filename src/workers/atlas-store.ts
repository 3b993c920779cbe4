import { MemoryAtlasCache, type AtlasCache } from '../engine/lens/atlas';
import type { RgbPixels } from '../engine/lens/types';

const DB = 'dreamstream';
const STORE = 'atlas-tiles';

/** The database, opened once; null where the worker has no IndexedDB (then tiles live as long as the worker). */
function open(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    // Private windows may refuse storage: the atlas still works, it only forgets.
    req.onerror = () => resolve(null);
  });
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/**
 * Atlas tiles kept in the browser's IndexedDB, by the tile's key (model, layer, channel, size, steps): a reload or an
 * offline installation shows a page of the atlas at once. Nothing leaves the machine.
 */
export class IdbAtlasCache implements AtlasCache {
  private readonly db = open();
  private readonly fallback = new MemoryAtlasCache();

  async get(key: string): Promise<RgbPixels | undefined> {
    const db = await this.db;
    if (!db) return this.fallback.get(key);
    const found = (await request(db.transaction(STORE).objectStore(STORE).get(key)).catch(() => undefined)) as RgbPixels | undefined;
    return found && found.data instanceof Uint8Array ? found : undefined;
  }

  async put(key: string, tile: RgbPixels): Promise<void> {
    const db = await this.db;
    if (!db) return this.fallback.put(key, tile);
    // A full disk or a refused write costs only the tile's next render.
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put({ width: tile.width, height: tile.height, data: tile.data }, key)).catch(() => undefined);
  }
}
