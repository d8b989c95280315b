// Attachment content → text. base64 `data` is decoded as UTF-8; invalid bytes become U+FFFD and are reported.
import type { Attachment } from '@medplum/fhirtypes';

export const SUPPORTED_NOTE_TYPES = ['text/plain', 'text/html', 'application/xhtml+xml'] as const;
export const MAX_NOTE_CHARS = 1_000_000;

export type DecodedAttachment = { readonly text: string; readonly contentType: string; readonly warning?: string } | { readonly problem: string };

export const mediaType = (contentType: string | undefined): string => (contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();

export function decodeUtf8(bytes: Uint8Array): { readonly text: string; readonly invalidUtf8: boolean } {
  const text = new TextDecoder('utf-8').decode(bytes);
  return { text, invalidUtf8: text.includes('\uFFFD') };
}

export function decodeBase64Text(data: string): { readonly text: string; readonly invalidUtf8: boolean } {
  let binary: string;
  try {
    binary = atob(data.replace(/\s+/g, ''));
  } catch {
    return { text: '', invalidUtf8: true };
  }
  return decodeUtf8(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Decodes inline data, or the data of the Binary the attachment's url names (looked up by the caller). */
export function decodeAttachment(attachment: Attachment, binaryData: string | undefined): DecodedAttachment {
  const type = mediaType(attachment.contentType);
  if (!(SUPPORTED_NOTE_TYPES as readonly string[]).includes(type)) return { problem: `content type ${type} is not supported (text/plain, text/html)` };
  const data = attachment.data ?? binaryData;
  if (data === undefined) return { problem: attachment.url ? `${attachment.url} could not be read` : 'no data and no url' };
  const { text, invalidUtf8 } = decodeBase64Text(data);
  if (text.length > MAX_NOTE_CHARS) return { problem: `${text.length} characters is over the ${MAX_NOTE_CHARS}-character note limit` };
  if (!text.trim()) return { problem: invalidUtf8 ? 'data is not valid base64' : 'empty note' };
  return { text, contentType: type, ...(invalidUtf8 ? { warning: 'not valid UTF-8: undecodable bytes were replaced with U+FFFD' } : {}) };
}
