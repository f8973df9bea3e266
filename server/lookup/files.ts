/**
 * A file of support's reply, served by the backend to whoever holds its link. The link comes only
 * in a status answer — so only to someone the lookup token, or the case number and email, let in —
 * and is signed, bound to its form, case, message and file, and good for an hour (replies.ts).
 * Deskie's address for the file and the API key stay here. The file is streamed as Deskie sends
 * it, with a type that a browser cannot run (anything else is plain bytes), always as a download.
 */
import type { FormConfig } from '../config/schema';
import { ApiError } from '../core/errors';
import { fromDeskie, notFound } from './errors';
import type { LookupDeps } from './lookup';
import { readReplies } from './replies';

/** Types a browser shows or saves but never runs; anything else goes out as plain bytes. */
const INERT_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'audio/mpeg',
  'video/mp4',
]);

/** The Content-Type a file is served with: its own when inert, else `application/octet-stream`. */
export const servedType = (mime: string) => {
  const type = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  return INERT_TYPES.has(type) ? type : 'application/octet-stream';
};

/** A file on its way to the visitor. */
export interface OpenedFile {
  name: string;
  /** The Content-Type to send (servedType). */
  type: string;
  /** Bytes, as Deskie said; undefined when it did not. */
  length: number | undefined;
  body: ReadableStream<Uint8Array>;
}

/**
 * The file `link` names, on its way from Deskie. NOT_FOUND for a link forged, altered, of another
 * form, or to a file no longer among support's public replies; LINK_EXPIRED past its hour. The
 * case's replies come from the cache when a lookup read them lately, else from one read of its
 * messages in the lookup lane.
 */
export async function openFile(
  deps: LookupDeps,
  form: FormConfig,
  link: string,
  signal: AbortSignal | undefined,
): Promise<OpenedFile> {
  const claim = deps.tokens.file.read(link);
  if (!claim || claim.formId !== form.id) throw notFound();
  if (deps.clock.now() > claim.expiresAt)
    throw new ApiError('LINK_EXPIRED', 'This link has expired. Check the request again for a fresh one.');
  const { client, done } = deps.deskie(signal, 1);
  try {
    const replies =
      deps.cache.get(claim.caseId)?.replies ?? (await fromDeskie(readReplies(client, claim.caseId)));
    const file = replies
      .find((r) => r.messageId === claim.messageId && r.from === 'support')
      ?.files.find((f) => f.file_id === claim.fileId);
    if (!file) throw notFound();
    const response = await fromDeskie(client.download(file.url, signal));
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    return {
      name: file.file_name,
      type: servedType(file.mime_type),
      length: Number.isInteger(declared) && declared >= 0 ? declared : undefined,
      body: response.body as ReadableStream<Uint8Array>,
    };
  } finally {
    done();
  }
}
