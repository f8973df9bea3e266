/**
 * Queued files in the attachments table, beside their rows (SQLite, PostgreSQL): one transaction
 * writes a submission and its files together. (Workers keep them in R2 instead: r2.ts.)
 */
import type { Kysely } from 'kysely';
import type { OutboxDatabase } from '../db/schema';
import type { FileVault } from './types';

/** A FileVault over the attachments table of `db` (or of a transaction on it). */
export function tableVault(db: Kysely<OutboxDatabase>): FileVault {
  return {
    async put(id, files) {
      if (files.length === 0) return;
      await db
        .insertInto('attachments')
        .values(
          files.map((f, position) => ({
            submission_id: id,
            position,
            name: f.name,
            type: f.type,
            data: f.data instanceof Uint8Array ? f.data : new Uint8Array(),
          })),
        )
        .execute();
    },
    async get(id) {
      const rows = await db
        .selectFrom('attachments')
        .selectAll()
        .where('submission_id', '=', id)
        .orderBy('position')
        .execute();
      // Drivers hand back a Buffer: view its bytes as a plain Uint8Array rather than copy a file.
      return rows.map(({ name, type, data }) => ({
        name,
        type,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      }));
    },
    async delete(id) {
      await db.deleteFrom('attachments').where('submission_id', '=', id).execute();
    },
  };
}
