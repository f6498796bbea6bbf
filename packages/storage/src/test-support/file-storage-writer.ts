// Child process for the file storage test: adds N devices to one account of a shared token file.
import { FileTokenStorage } from '../file-token-storage.js';
import { device } from './token-storage-contract.js';

const [path, name, count] = process.argv.slice(2);
if (!path || !name || !count) throw new Error('usage: file-storage-writer PATH NAME COUNT');
const storage = new FileTokenStorage({ path, lockTimeoutMs: 20_000 });
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    storage.add('shared@example.com', device({ deviceId: `${name}-${i}` })),
  ),
);
await storage.close();
