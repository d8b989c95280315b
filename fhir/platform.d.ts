// Web-platform globals fhir/ may use (present in Node and browsers): base64 and UTF-8 decoding. Declared here so
// that no node or DOM typings, and no I/O, reach this folder.
declare function atob(data: string): string;
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
