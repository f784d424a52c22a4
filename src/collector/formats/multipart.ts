import { BodyFormatError } from './parsed-samples.js';

/** RFC 2046 caps a boundary at 70 characters; headers and parts are few in any agent's upload. */
const MAX_BOUNDARY_LENGTH = 70;
const MAX_HEADER_BYTES = 8 * 1024;
const MAX_PARTS = 16;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^\s*multipart\/form-data\s*;/i.test(contentType)) return null;
  const parameter = contentType.split(';').map((part) => part.trim()).find((part) => part.toLowerCase().startsWith('boundary='));
  const boundary = parameter?.slice('boundary='.length).replace(/^"(.*)"$/, '$1') ?? '';
  if (boundary === '' || boundary.length > MAX_BOUNDARY_LENGTH) throw new BodyFormatError('multipart body without a usable boundary');
  return boundary;
}

/**
 * The bytes of the form field `name` in a multipart/form-data body (how the
 * Pyroscope agents upload a profile), or null when no part has that name.
 * One forward pass: every search starts where the last ended, and the
 * boundary and header lengths are bounded, so the work is linear in the body.
 */
export function multipartField(body: Buffer, boundary: string, name: string): Buffer | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw new BodyFormatError('multipart body without its boundary');
  for (let parts = 0; ; parts += 1) {
    position += delimiter.length;
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return null; // "--": the closing delimiter
    if (parts === MAX_PARTS) throw new BodyFormatError(`multipart body with more than ${MAX_PARTS} parts`);
    if (body.indexOf(CRLF, position) !== position) throw new BodyFormatError('multipart delimiter not followed by a line end');
    const headersStart = position + CRLF.length;
    const headersEnd = body.subarray(headersStart, headersStart + MAX_HEADER_BYTES + HEADER_END.length).indexOf(HEADER_END);
    if (headersEnd < 0) throw new BodyFormatError('multipart part headers unterminated or too long');
    const headers = body.subarray(headersStart, headersStart + headersEnd).toString('latin1');
    const contentStart = headersStart + headersEnd + HEADER_END.length;
    const contentEnd = body.indexOf(nextDelimiter, contentStart);
    if (contentEnd < 0) throw new BodyFormatError('multipart part without a closing boundary');
    if (partName(headers) === name) return body.subarray(contentStart, contentEnd);
    position = contentEnd + CRLF.length;
  }
}

/** The `name` of a part's Content-Disposition: form-data header. */
function partName(headers: string): string | null {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    for (const parameter of line.slice(colon + 1).split(';')) {
      const [key, ...value] = parameter.trim().split('=');
      if (key.toLowerCase() === 'name') return value.join('=').replace(/^"(.*)"$/, '$1');
    }
  }
  return null;
}
