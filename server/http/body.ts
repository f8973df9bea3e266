/** Reading a submission's body: JSON, or multipart with a JSON `payload` part and `attachments` files. */
import { ApiError } from '../core/errors';
import { refusalIn } from './body-cap';

/** The decoded body and its files; throws BAD_REQUEST or UNSUPPORTED_MEDIA_TYPE. */
export async function readSubmission(request: Request): Promise<{ body: unknown; files: File[] }> {
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = await request.json().catch((error: unknown) => {
      throw refusalIn(error) ?? new ApiError('BAD_REQUEST', 'The body is not valid JSON.');
    });
    return { body, files: [] };
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await request.formData().catch((error: unknown) => {
      throw refusalIn(error) ?? new ApiError('BAD_REQUEST', 'The multipart body could not be read.');
    });
    const payload = form.get('payload');
    if (typeof payload !== 'string')
      throw new ApiError('BAD_REQUEST', 'A multipart submission needs a "payload" part with the JSON body.');
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      throw new ApiError('BAD_REQUEST', 'The "payload" part is not valid JSON.');
    }
    const files = form.getAll('attachments').filter((f): f is File => typeof f !== 'string');
    return { body, files };
  }
  throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json or multipart/form-data.');
}
