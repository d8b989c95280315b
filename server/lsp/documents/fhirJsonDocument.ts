// A FHIR JSON document (a Bundle, or an Encounter with contained resources) as the encounter it holds. Parsed with
// jsonc-parser so every resource, note and Coding keeps its place in the file: evidence from an inline Composition
// section lands on its exact characters; evidence from base64 attachment data lands on that data value.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Bundle, Encounter, Resource } from '@medplum/fhirtypes';
import { assembleEncounter, isResource } from '../../../fhir';
import { uncodable, type DocumentEncounter, type EvidenceLocation, type OffsetRange, type WrittenCode } from './documentEncounter';
import { decodedToDocumentOffsets, documentRangeOf } from './jsonStringOffsets';

export const FHIR_JSON_FILE = /\.fhir\.json$/i;
const CODED_TYPES = new Set(['Bundle', 'Encounter']);

interface PlacedResource {
  readonly resource: Resource;
  readonly node: Node;
}

const rangeOfNode = (node: Node): OffsetRange => ({ start: node.offset, end: node.offset + node.length });
const refOf = (r: Resource): string => `${r.resourceType}/${r.id ?? '?'}`;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The resources with their nodes: a Bundle's entries, or an Encounter and what it contains (values read once). */
function placedResources(root: Node, top: Resource): PlacedResource[] {
  const pair = (nodes: readonly Node[] | undefined, values: readonly unknown[] | undefined, at: (n: Node) => Node | undefined) =>
    (nodes ?? []).flatMap((n, i) => {
      const node = at(n);
      const value = values?.[i];
      return node && isResource(value) ? [{ resource: value, node }] : [];
    });
  // Untrusted JSON: `entry` or `contained` may be anything, an entry may be null.
  const list = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);
  if (top.resourceType === 'Bundle') {
    const entries = list((top as Bundle).entry)?.map((e) => (e as { resource?: unknown } | null)?.resource);
    return pair(findNodeAtLocation(root, ['entry'])?.children, entries, (entry) => findNodeAtLocation(entry, ['resource']));
  }
  return [{ resource: top, node: root }, ...pair(findNodeAtLocation(root, ['contained'])?.children, list((top as Encounter).contained), (n) => n)];
}

/** Every Coding-shaped object (string `system` and `code`) in the resources, with the code's range. */
function writtenCodes(placed: readonly PlacedResource[]): WrittenCode[] {
  const out: WrittenCode[] = [];
  const visit = (node: Node, resource: string) => {
    if (node.type === 'object') {
      const system = findNodeAtLocation(node, ['system']);
      const code = findNodeAtLocation(node, ['code']);
      if (system?.type === 'string' && code?.type === 'string') {
        out.push({ system: String(system.value), code: String(code.value), resource, range: { start: code.offset + 1, end: code.offset + code.length - 1 } });
      }
    }
    for (const child of node.children ?? []) visit(child, resource);
  };
  for (const p of placed) visit(p.node, refOf(p.resource));
  return out;
}

/** Where a note's text lives in the file: an inline string (exact offsets) or base64 data (the value as a whole). */
function noteNode(placed: ReadonlyMap<string, PlacedResource>, sourceId: string): { node: Node; inline: boolean } | undefined {
  const match = /^(.+)#(\d+)$/.exec(sourceId);
  const owner = match ? placed.get(match[1]!) : undefined;
  if (!match || !owner) return undefined;
  const index = Number(match[2]);
  const type = owner.resource.resourceType;
  if (type === 'Composition') {
    const div = findNodeAtLocation(owner.node, ['section', index, 'text', 'div']);
    return div?.type === 'string' ? { node: div, inline: true } : undefined;
  }
  const attachment =
    type === 'DocumentReference'
      ? findNodeAtLocation(owner.node, ['content', index, 'attachment'])
      : type === 'DiagnosticReport'
        ? findNodeAtLocation(owner.node, ['presentedForm', index])
        : undefined;
  if (!attachment) return undefined;
  const data = findNodeAtLocation(attachment, ['data']);
  if (data) return { node: data, inline: false };
  const url = findNodeAtLocation(attachment, ['url'])?.value;
  const binary = [...placed.values()].find(
    (p) => p.resource.resourceType === 'Binary' && typeof url === 'string' && (url === refOf(p.resource) || url.endsWith(`/${refOf(p.resource)}`)),
  );
  const binaryData = binary ? findNodeAtLocation(binary.node, ['data']) : undefined;
  return binaryData ? { node: binaryData, inline: false } : undefined;
}

/**
 * The encounter of a FHIR JSON document; undefined when the document is JSON of another kind and not named
 * `*.fhir.json` (then it is not Chartcoder's to judge).
 */
export function fhirJsonDocument(uri: string, text: string): DocumentEncounter | undefined {
  const named = FHIR_JSON_FILE.test(uri);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length || !root) {
    if (!named) return undefined;
    const first = errors[0];
    const at = first ? { start: first.offset, end: first.offset + first.length } : { start: 0, end: 0 };
    return uncodable(uri, `not valid JSON: ${first ? `${printParseErrorCode(first.error)} at line ${lineOf(text, first.offset)}` : 'empty document'}`, at);
  }
  const top: unknown = getNodeValue(root);
  const typeNode = findNodeAtLocation(root, ['resourceType']);
  if (!isResource(top) || !CODED_TYPES.has(top.resourceType)) {
    if (!named) return undefined;
    return uncodable(
      uri,
      `expected a FHIR Bundle or Encounter, found ${isResource(top) ? top.resourceType : 'no resourceType'}`,
      typeNode ? rangeOfNode(typeNode) : { start: 0, end: 0 },
    );
  }
  const placed = placedResources(root, top);
  const codes = writtenCodes(placed);
  const assembled = assembleEncounter(placed.map((p) => p.resource));
  if ('problem' in assembled) {
    const encounters = placed.flatMap((p) =>
      p.resource.resourceType === 'Encounter' && p.resource.id ? [{ id: p.resource.id, range: rangeOfNode(p.node) }] : [],
    );
    const message = assembled.problem === 'ambiguous-encounter' ? `${assembled.message}: use "Code this encounter" above each Encounter` : assembled.message;
    return { ...uncodable(uri, message, typeNode ? rangeOfNode(typeNode) : { start: 0, end: 0 }), codes, encounters };
  }
  const byRef = new Map(placed.map((p) => [refOf(p.resource), p]));
  const inlineOffsets = new Map<string, number[]>();
  const evidenceLocation = (e: { sourceId: string; start: number; end: number }): EvidenceLocation | undefined => {
    const found = noteNode(byRef, e.sourceId);
    if (!found) return undefined;
    if (!found.inline) return { ...rangeOfNode(found.node), exact: false };
    let offsets = inlineOffsets.get(e.sourceId);
    if (!offsets) {
      offsets = decodedToDocumentOffsets(text, found.node.offset, found.node.length);
      inlineOffsets.set(e.sourceId, offsets);
    }
    const range = documentRangeOf(offsets, e.start, e.end);
    return range ? { ...range, exact: true } : undefined;
  };
  return { subject: uri, view: assembled.view, codes, evidenceLocation };
}
