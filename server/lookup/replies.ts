/**
 * A case's public conversation after the request — the customer's messages and support's
 * replies, never internal notes — as the backend keeps it for a while (cache.ts), and as a visitor sees it: the text, the
 * time and support's files, each behind a link of the backend's own (files.ts), never Deskie's
 * address for it. The customer's own messages are shown as they wrote them: the context block and
 * reference line the backend added for the agent are left out.
 */
import type { Reply, ReplyFile, ThreadEntry } from '../contract';
import type { Clock } from '../core/clock';
import type { Tokens } from '../core/tokens';
import type { DeskieClient } from '../deskie/client';
import type { DeskieAttachment } from '../deskie/schemas';

/** How long a file link from a status answer opens the file. */
export const FILE_LINK_MS = 3600_000;

/** A public message of the case, with what the backend needs to serve support's files. */
export interface PublicMessage {
  messageId: number;
  from: 'support' | 'customer';
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

/**
 * What the customer wrote, without what the backend added under it for the agent: a request's
 * context block or a reply's reference line, both after a last "—" line ending in `Reference:`.
 */
export function ownText(content: string): string {
  // A message sent as multipart (a reply with files) comes back with CRLF line breaks.
  const text = content.replace(/\r\n?/g, '\n');
  const cut = text.lastIndexOf('\n\n—\n');
  return cut >= 0 && /\nReference: (sub|rep)_\w+\s*$/.test(text.slice(cut))
    ? text.slice(0, cut).trim()
    : text;
}

/**
 * The public messages of case `caseId` after the request itself (the newest 100), oldest first:
 * never internal notes. The request is the visitor's own, and a bot's decoy could not show it.
 */
export async function readReplies(deskie: DeskieClient, caseId: number): Promise<PublicMessage[]> {
  const { items, totalCount } = await deskie.listMessages(caseId, { limit: 100, order: 'desc' });
  const oldestFirst = items.reverse();
  return (items.length >= totalCount ? oldestFirst.slice(1) : oldestFirst)
    .filter((m) => !m.note)
    .map((m) => {
      const text = m.content || plain(m.content_html ?? '');
      const from = m.staff_id > 0 ? ('support' as const) : ('customer' as const);
      return {
        messageId: m.message_id,
        from,
        text: from === 'customer' ? ownText(text) : text,
        createdAt: iso(m.created_at),
        files: m.attachments,
      };
    });
}

/**
 * The conversation as the visitor sees it: support's `replies` (never who wrote them), and the
 * whole `thread` with the customer's messages among them; support's files each with a link good
 * for FILE_LINK_MS from now.
 */
export function publicReplies(
  tokens: Tokens,
  clock: Clock,
  at: { formId: string; caseId: number },
  messages: PublicMessage[],
): { replies: Reply[]; thread: ThreadEntry[] } {
  const expiresAt = clock.now() + FILE_LINK_MS;
  const link = (messageId: number, file: DeskieAttachment): ReplyFile => ({
    name: file.file_name,
    size: file.file_size,
    url: `/v1/forms/${encodeURIComponent(at.formId)}/files/${tokens.file.issue({
      ...at,
      messageId,
      fileId: file.file_id,
      expiresAt,
    })}`,
  });
  const thread = messages.map(({ messageId, from, text, createdAt, files }): ThreadEntry => {
    const attachments = from === 'support' ? files.map((file) => link(messageId, file)) : [];
    return { author: from, text, createdAt, ...(attachments.length > 0 ? { attachments } : {}) };
  });
  const replies = thread
    .filter((entry) => entry.author === 'support')
    .map(({ author: _, ...entry }): Reply => ({ author: 'Support', ...entry }));
  return { replies, thread };
}
