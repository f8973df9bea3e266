/**
 * Support's public replies as the backend keeps them for a while (cache.ts), and as a visitor
 * sees them: the text, the time and the files — each file behind a link of the backend's own
 * (files.ts), never Deskie's address for it.
 */
import type { Reply, ReplyFile } from '../contract';
import type { Clock } from '../core/clock';
import type { Tokens } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import type { DeskieAttachment } from '../deskie/schemas';

/** How long a file link from a status answer opens the file. */
export const FILE_LINK_MS = 3600_000;

/** A public reply from support, with what the backend needs to serve its files. */
export interface SupportReply {
  messageId: number;
  text: string;
  createdAt: string;
  /** As Deskie lists them, their `url` included: it stays on the server. */
  files: DeskieAttachment[];
}

/** RFC 2822 (Deskie) → ISO 8601; the input when it cannot be read. */
export const iso = (date: string) => {
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? date : new Date(ms).toISOString();
};
const plain = (html: string) =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .trim();

/** Support's public replies to case `caseId`, oldest first: never internal notes, never who wrote them. */
export async function readReplies(deskie: DeskieClient, caseId: number): Promise<SupportReply[]> {
  // The newest 100 messages, shown oldest first.
  const { items } = await deskie.listMessages(caseId, { limit: 100, order: 'desc' });
  return items
    .reverse()
    .filter((m) => !m.note && m.staff_id > 0)
    .map((m) => ({
      messageId: m.message_id,
      text: m.content || plain(m.content_html ?? ''),
      createdAt: iso(m.created_at),
      files: m.attachments,
    }));
}

/** Replies as the visitor sees them, each file with a link good for FILE_LINK_MS from now. */
export function publicReplies(
  tokens: Tokens,
  clock: Clock,
  at: { formId: string; caseId: number },
  replies: SupportReply[],
): Reply[] {
  const expiresAt = clock.now() + FILE_LINK_MS;
  return replies.map(({ messageId, text, createdAt, files }) => {
    const attachments = files.map(
      (file): ReplyFile => ({
        name: file.file_name,
        size: file.file_size,
        url: `/v1/forms/${encodeURIComponent(at.formId)}/files/${tokens.file.issue({
          ...at,
          messageId,
          fileId: file.file_id,
          expiresAt,
        })}`,
      }),
    );
    return {
      author: 'Support' as const,
      text,
      createdAt,
      ...(attachments.length > 0 ? { attachments } : {}),
    };
  });
}
