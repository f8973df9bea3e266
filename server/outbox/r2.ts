/**
 * Queued files in an R2 bucket (Workers): D1 rows are small and one statement cannot write two
 * tables, so the outbox row holds the submission and its files wait here, under `outbox/<id>/`.
 */
import type { R2Bucket } from '@cloudflare/workers-types/index.ts';
import type { FileVault } from './types';

const folder = (id: string) => `outbox/${id}/`;

/** A FileVault over `bucket`. */
export function createR2Vault(bucket: R2Bucket): FileVault {
  return {
    async put(id, files) {
      await Promise.all(
        files.map(async (file, position) => {
          const data =
            file.data instanceof Uint8Array ? file.data : new Uint8Array(await file.data.arrayBuffer());
          await bucket.put(`${folder(id)}${String(position).padStart(3, '0')}`, data, {
            httpMetadata: { contentType: file.type },
            // Metadata travels as headers on R2's other APIs: keep it ASCII.
            customMetadata: { name: encodeURIComponent(file.name) },
          });
        }),
      );
    },
    async get(id) {
      const listed = await bucket.list({ prefix: folder(id) });
      const keys = listed.objects.map((o) => o.key).sort();
      return Promise.all(
        keys.map(async (key) => {
          const object = await bucket.get(key);
          // Listed a moment ago: gone now means someone deleted it — the delivery must not go without it.
          if (!object) throw new Error(`queued file ${key} is missing`);
          return {
            name: decodeURIComponent(object.customMetadata?.name ?? 'file'),
            type: object.httpMetadata?.contentType ?? 'application/octet-stream',
            data: new Uint8Array(await object.arrayBuffer()),
          };
        }),
      );
    },
    async delete(id) {
      const listed = await bucket.list({ prefix: folder(id) });
      if (listed.objects.length > 0) await bucket.delete(listed.objects.map((o) => o.key));
    },
  };
}
