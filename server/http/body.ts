/**
 * Reading a submission's body: JSON, or multipart with a JSON `payload` part and `attachments`
 * files. Multipart is parsed as it streams (@remix-run/multipart-parser), each part capped by the
 * form's own limits while it arrives: a file past the form's size, or a part past its count, stops
 * the read there, and what was read is held once — not the whole body and then a copy of each file,
 * as `Request.formData()` does.
 */
import {
  MaxFileSizeExceededError,
  MaxPartsExceededError,
  MaxTotalSizeExceededError,
  MultipartParseError,
  parseMultipartRequest,
} from '@remix-run/multipart-parser';
import type { FormConfig } from '../config/schema';
import { ApiError } from '../core/errors';
import { widestAttachments } from '../forms/adaptive';
import type { ReceivedFile } from '../intake/attachments';
import { refusalIn } from './body-cap';

/** The most the JSON `payload` part may take (every field at its longest fits well within). */
export const PAYLOAD_BYTES = 1024 * 1024;

/** The parser's caps for a form: its files and one more (so "too many" is said), the payload, a byte over. */
function capsFor(attachments: FormConfig['attachments']) {
  const files = attachments ?? { maxFiles: 0, maxFileBytes: 0, maxTotalBytes: 0 };
  return {
    maxParts: files.maxFiles + 2,
    maxFileSize: Math.max(files.maxFileBytes, PAYLOAD_BYTES) + 1,
    maxTotalSize: files.maxTotalBytes + PAYLOAD_BYTES + 1,
  };
}

/** The ApiError a multipart read that failed stands for. */
function multipartRefusal(error: unknown, attachments: FormConfig['attachments']): ApiError {
  const refused = refusalIn(error);
  if (refused) return refused;
  if (error instanceof MaxFileSizeExceededError)
    return new ApiError(
      'ATTACHMENT_TOO_LARGE',
      `A file is larger than ${attachments?.maxFileBytes ?? PAYLOAD_BYTES} bytes.`,
    );
  if (error instanceof MaxTotalSizeExceededError)
    return new ApiError(
      'ATTACHMENT_TOO_LARGE',
      `The files together are larger than ${attachments?.maxTotalBytes ?? 0} bytes.`,
    );
  if (error instanceof MaxPartsExceededError)
    return attachments
      ? new ApiError('TOO_MANY_ATTACHMENTS', `At most ${attachments.maxFiles} files can be attached.`)
      : new ApiError('TOO_MANY_ATTACHMENTS', 'This form does not take attachments.');
  if (error instanceof MultipartParseError)
    return new ApiError('BAD_REQUEST', 'The multipart body could not be read.');
  // The stream broke: the visitor's connection went, or the body was cut short.
  return new ApiError('BAD_REQUEST', 'The multipart body could not be read.');
}

/** The parts of a multipart submission: its payload text and its files. */
async function readMultipart(request: Request, form: FormConfig) {
  let payload: string | undefined;
  const files: ReceivedFile[] = [];
  // The request type is in the payload, read with the files: the stream is capped by the most
  // any type takes, and intake holds the files to the chosen type's own policy.
  const attachments = widestAttachments(form);
  try {
    for await (const part of parseMultipartRequest(request, capsFor(attachments))) {
      if (part.name === 'payload' && !part.isFile) payload = part.text;
      else if (part.name === 'attachments' && part.isFile)
        files.push({ name: part.filename ?? '', type: part.mediaType ?? '', data: part.bytes });
    }
  } catch (error) {
    throw multipartRefusal(error, attachments);
  }
  return { payload, files };
}

/** The decoded body and its files; throws the ApiError that fits (400, 413, 415, 422). */
export async function readSubmission(
  request: Request,
  form: FormConfig,
): Promise<{ body: unknown; files: ReceivedFile[] }> {
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = await request.json().catch((error: unknown) => {
      throw refusalIn(error) ?? new ApiError('BAD_REQUEST', 'The body is not valid JSON.');
    });
    return { body, files: [] };
  }
  if (type.startsWith('multipart/form-data')) {
    const { payload, files } = await readMultipart(request, form);
    if (payload === undefined)
      throw new ApiError('BAD_REQUEST', 'A multipart submission needs a "payload" part with the JSON body.');
    try {
      return { body: JSON.parse(payload), files };
    } catch {
      throw new ApiError('BAD_REQUEST', 'The "payload" part is not valid JSON.');
    }
  }
  throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json or multipart/form-data.');
}
