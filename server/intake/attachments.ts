/**
 * Checks uploaded files against a form's policy by what they are, not what they claim: the type
 * comes from the file's first bytes (file-type), plain text is recognised by being valid UTF-8
 * without control bytes, and executables, scripts and markup are refused whatever they are named.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentPolicy } from '../contract';
import { ApiError } from '../core/errors';
import type { Upload } from '../deskie/client';

const DANGEROUS_EXTENSIONS =
  /\.(exe|com|bat|cmd|scr|pif|msi|msp|dll|cpl|jar|js|mjs|jse|vbs|vbe|wsf|wsh|ps1|psm1|sh|bash|zsh|csh|app|apk|deb|rpm|hta|html?|xhtml|svg|svgz|lnk|reg|iso|img|vhdx?)$/i;
const DANGEROUS_TYPES = new Set([
  'application/x-msdownload',
  'application/vnd.microsoft.portable-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-msi',
  'application/java-archive',
  'application/x-sh',
  'application/x-shellscript',
  'text/html',
  'image/svg+xml',
  'application/wasm',
]);
const TEXT_TYPES: Record<string, string> = { csv: 'text/csv', md: 'text/markdown', json: 'application/json' };

/** Plain text: valid UTF-8 and no control bytes other than tab, newline and carriage return. */
function isPlainText(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Zero-width and bidirectional control characters: they make a name read other than it is. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A file name safe to pass on, and the one its type is judged by: no path, no invisible or control
 * characters, no trailing dots or spaces (Windows drops them: `x.html.` opens as `x.html`), at most
 * 200 characters.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base.replace(INVISIBLE, '').normalize('NFC')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || '"<>|:*?'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/[. ]+$/, '')
    .trim()
    .slice(-200);
  return clean || 'file';
}

/**
 * Markup a browser would render or run — an HTML document, a script, SVG (which can carry
 * scripts), frames — found in text whatever the file is named: it is refused as HTML would be.
 */
const MARKUP =
  /<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|frame|frameset|object|embed|meta|link|style|base|form)[\s>/]/i;

/** What `bytes` are, by content; undefined when we cannot tell. */
export async function sniffType(bytes: Uint8Array, name: string): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) return detected.mime;
  if (!isPlainText(bytes)) return undefined;
  if (MARKUP.test(new TextDecoder().decode(bytes))) return 'text/html';
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return TEXT_TYPES[ext] ?? 'text/plain';
}

/** An accepted file: its clean name, the type its content shows, its bytes. */
export type CheckedUpload = Upload & { data: Uint8Array };

/** A file as the visitor's browser sent it: the name and type it claims, and its bytes. */
export interface ReceivedFile {
  name: string;
  type: string;
  data: Uint8Array;
}

/** Checks `files` against `policy`; returns them typed by content, or throws the ApiError that fits. */
export async function checkAttachments(
  files: ReceivedFile[],
  policy: AttachmentPolicy | null,
): Promise<CheckedUpload[]> {
  if (files.length === 0) return [];
  if (!policy) throw new ApiError('TOO_MANY_ATTACHMENTS', 'This form does not take attachments.');
  if (files.length > policy.maxFiles)
    throw new ApiError('TOO_MANY_ATTACHMENTS', `At most ${policy.maxFiles} files can be attached.`);
  let total = 0;
  const uploads: CheckedUpload[] = [];
  for (const file of files) {
    const name = cleanFileName(file.name);
    if (file.data.byteLength > policy.maxFileBytes)
      throw new ApiError('ATTACHMENT_TOO_LARGE', `"${name}" is larger than ${policy.maxFileBytes} bytes.`);
    total += file.data.byteLength;
    if (total > policy.maxTotalBytes)
      throw new ApiError(
        'ATTACHMENT_TOO_LARGE',
        `The files together are larger than ${policy.maxTotalBytes} bytes.`,
      );
    const bytes = file.data;
    const type = await sniffType(bytes, name);
    if (DANGEROUS_EXTENSIONS.test(name) || (type && DANGEROUS_TYPES.has(type)))
      throw new ApiError(
        'ATTACHMENT_TYPE_NOT_ALLOWED',
        `"${name}" is a kind of file that cannot be attached.`,
      );
    if (!type || !policy.accept.includes(type))
      throw new ApiError('ATTACHMENT_TYPE_NOT_ALLOWED', `"${name}" is not one of the accepted file types.`);
    uploads.push({ name, type, data: bytes });
  }
  return uploads;
}
