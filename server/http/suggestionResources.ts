// Suggestions as FHIR R4 resources an EHR understands: a provisional encounter-diagnosis Condition (ICD-10-CM) or a
// Procedure (PCS / CPT / HCPCS) per suggestion, a Provenance per suggestion (agent: the Chartcoder Device naming
// model, adapter, index and code set; entities: the source note with the evidence range in an extension, and the
// guidance), and a DetectedIssue per rule warning — after the HL7 AI Transparency IG's Provenance/Device pattern.
import { randomUUID } from 'node:crypto';
import type {
  Bundle,
  BundleEntry,
  Condition,
  DetectedIssue,
  Device,
  Encounter,
  Extension,
  Parameters,
  Patient,
  Procedure,
  Provenance,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { EncounterView } from '../../fhir';
import type { Suggestion, SuggestResult } from '../engine/suggest/suggestion';

export const EXTENSION_BASE = 'https://chartcoder.dev/fhir/StructureDefinition';

const urn = () => `urn:uuid:${randomUUID()}`;
const isFhirReference = (ref: string) => /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref);
const referenceTo = <T extends Resource = Resource>(ref: string | undefined, display: string): Reference<T> =>
  ref && isFhirReference(ref) ? { reference: ref } : { display: ref ?? display };

function deviceOf(result: SuggestResult): Device {
  const p = result.suggestions[0]?.provenance;
  const versions = [
    ['mode', result.mode],
    ['coding model', p?.codingModel],
    ['model', p?.model],
    ['adapter', p?.adapterVersion],
    ['index', p?.indexVersion],
    ['code set', `FY${result.fiscalYear}`],
    ['prompt template', p?.promptTemplateHash],
  ].filter((v): v is [string, string] => typeof v[1] === 'string');
  return {
    resourceType: 'Device',
    status: 'active',
    deviceName: [{ name: 'Chartcoder', type: 'manufacturer-name' }],
    type: { text: 'clinical coding assistant (AI)' },
    version: versions.map(([type, value]) => ({ type: { text: type }, value })),
  };
}

export interface DiagnosisCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** The encounter-diagnosis Condition of a code: provisional while suggested, confirmed once a coder accepted it. */
export function encounterDiagnosis(
  diagnosis: DiagnosisCode,
  view: EncounterView,
  status: 'provisional' | 'confirmed',
  extra: Partial<Condition> = {},
): Condition {
  return {
    resourceType: 'Condition',
    ...extra,
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: status }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
    code: { coding: [{ system: diagnosis.system, code: diagnosis.code, display: diagnosis.display }], text: diagnosis.display },
    subject: referenceTo<Patient>(view.patient?.reference, 'patient not given'),
    encounter: referenceTo<Encounter>(view.encounter.reference, view.encounter.reference),
  };
}

const confidenceExtension = (s: Suggestion): Extension => ({ url: `${EXTENSION_BASE}/confidence`, valueDecimal: s.confidence });

function codedResource(s: Suggestion, view: EncounterView): Condition | Procedure {
  const code = { coding: [{ system: s.systemUri, code: s.code, display: s.display }], text: s.display };
  const subject = referenceTo<Patient>(view.patient?.reference, 'patient not given');
  const encounter = referenceTo<Encounter>(view.encounter.reference, view.encounter.reference);
  const extra = { extension: [confidenceExtension(s)], ...(s.rationale ? { note: [{ text: s.rationale }] } : {}) };
  if (s.kind === 'procedure') return { resourceType: 'Procedure', status: 'unknown', code, subject, encounter, ...extra };
  return encounterDiagnosis({ system: s.systemUri, code: s.code, display: s.display }, view, 'provisional', extra);
}

function provenanceOf(s: Suggestion, target: string, device: string, view: EncounterView): Provenance {
  const notes = new Map(view.notes.map((n) => [n.id, n.reference]));
  return {
    resourceType: 'Provenance',
    target: [{ reference: target }],
    recorded: s.provenance.createdAt,
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE' }] },
    agent: [
      { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler' }] }, who: { reference: device } },
    ],
    entity: [
      ...s.evidence.map((e) => ({
        role: 'source' as const,
        what: {
          ...referenceTo(notes.get(e.sourceId), e.sourceId),
          extension: [
            {
              url: `${EXTENSION_BASE}/evidence-range`,
              extension: [
                { url: 'sourceId', valueString: e.sourceId },
                { url: 'start', valueInteger: e.start },
                { url: 'end', valueInteger: e.end },
                { url: 'text', valueString: e.text },
                { url: 'origin', valueCode: e.origin },
              ],
            },
          ],
        },
      })),
      ...s.guidance
        .slice(0, 6)
        .map((g) => ({ role: 'source' as const, what: { identifier: { system: `${EXTENSION_BASE}/guidance`, value: g.id }, display: g.title } })),
    ],
  };
}

function issuesOf(s: Suggestion, target: string): DetectedIssue[] {
  return s.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => ({
      resourceType: 'DetectedIssue',
      status: 'preliminary',
      severity: f.severity === 'error' ? 'high' : 'moderate',
      code: { coding: [{ system: `${EXTENSION_BASE}/rule`, code: f.rule }], text: f.rule },
      detail: `${f.message} (${f.source})`,
      implicated: [{ reference: target }],
    }));
}

const entry = (fullUrl: string, resource: Resource): BundleEntry => ({ fullUrl, resource });

export function suggestionBundle(result: SuggestResult, view: EncounterView): Bundle {
  const deviceUrl = urn();
  const entries: BundleEntry[] = [entry(deviceUrl, deviceOf(result))];
  for (const s of result.suggestions) {
    const url = urn();
    entries.push(entry(url, codedResource(s, view)), entry(urn(), provenanceOf(s, url, deviceUrl, view)), ...issuesOf(s, url).map((i) => entry(urn(), i)));
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: new Date().toISOString(), entry: entries };
}

export function suggestParameters(result: SuggestResult, view: EncounterView): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'return', resource: suggestionBundle(result, view) },
      { name: 'mode', valueCode: result.mode },
      ...result.degradations.map((d) => ({ name: 'degradation', valueString: d })),
      // The same as an OperationOutcome of warnings, for clients that read outcomes rather than named parameters.
      ...(result.degradations.length
        ? [
            {
              name: 'outcome',
              resource: {
                resourceType: 'OperationOutcome' as const,
                issue: result.degradations.map((d) => ({ severity: 'warning' as const, code: 'incomplete' as const, diagnostics: d })),
              },
            },
          ]
        : []),
    ],
  };
}
