// Export of an encounter's final code set: CSV (RFC 4180) for spreadsheets and worklists, or a draft FHIR R4 Claim
// whose diagnoses and procedures carry the codes in order. A Claim must name a billing provider and coverage (R4
// cardinality 1..1 and 1..*): the caller takes them from the encounter's record (Encounter.serviceProvider, the
// patient's Coverage), and without them only CSV is offered — never a Claim with invented parties.
import type { Claim, Coverage, Encounter, Organization, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import type { ClaimParties } from '../server/protocol';
import type { FinalCode } from './encounterCodes';

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** One CSV of the final code sets of one encounter or of several (a folder reviewed at once), in sequence per encounter. */
export function codeSetCsv(sets: readonly { readonly encounter: string; readonly codes: readonly FinalCode[] }[]): string {
  const rows = [
    ['encounter', 'sequence', 'kind', 'system', 'code', 'display', 'decided_by'],
    ...sets.flatMap(({ encounter, codes }) => codes.map((c, i) => [encounter, String(i + 1), c.kind, c.system, c.code, c.display, c.decidedBy])),
  ];
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export interface ClaimContext {
  readonly patient: Reference<Patient>;
  readonly encounter?: Reference<Encounter>;
  readonly provider: Reference<Practitioner | Organization>;
  readonly coverage: Reference<Coverage>;
  readonly insurer?: Reference<Organization>;
  readonly created: string;
}

export function codeSetClaim(codes: readonly FinalCode[], context: ClaimContext): Claim {
  const concept = (c: FinalCode) => ({ coding: [{ system: c.systemUri, code: c.code, ...(c.display ? { display: c.display } : {}) }] });
  const diagnoses = codes.filter((c) => c.kind === 'diagnosis');
  const procedures = codes.filter((c) => c.kind === 'procedure');
  return {
    resourceType: 'Claim',
    status: 'draft',
    use: 'claim',
    created: context.created,
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: context.encounter ? 'institutional' : 'professional' }] },
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    patient: context.patient,
    provider: context.provider,
    ...(context.insurer ? { insurer: context.insurer } : {}),
    insurance: [{ sequence: 1, focal: true, coverage: context.coverage }],
    diagnosis: diagnoses.map((c, i) => ({
      sequence: i + 1,
      diagnosisCodeableConcept: concept(c),
      ...(i === 0 ? { type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-diagnosistype', code: 'principal' }] }] } : {}),
    })),
    ...(procedures.length ? { procedure: procedures.map((c, i) => ({ sequence: i + 1, procedureCodeableConcept: concept(c) })) } : {}),
    ...(context.encounter
      ? { item: [{ sequence: 1, encounter: [context.encounter], diagnosisSequence: diagnoses.map((_, i) => i + 1), productOrService: { text: 'encounter' } }] }
      : {}),
  };
}

/** The Claim's parties from the encounter's record, or what the record lacks (named, so the coder can fix it there). */
export function claimContextOf(parties: ClaimParties | undefined, created: string): ClaimContext | { readonly missing: readonly string[] } {
  if (!parties)
    return { missing: ['a FHIR encounter (a note file names no patient, provider or coverage): open the encounter from the FHIR server or a Bundle'] };
  const missing = [
    ...(parties.provider ? [] : [`a billing provider (${parties.encounter}.serviceProvider)`]),
    ...(parties.coverage.length ? [] : [`an active Coverage whose beneficiary is ${parties.patient}`]),
  ];
  if (missing.length || !parties.provider) return { missing };
  return {
    patient: { reference: parties.patient },
    encounter: { reference: parties.encounter },
    provider: { reference: parties.provider },
    coverage: { reference: parties.coverage[0]! },
    ...(parties.insurer ? { insurer: { reference: parties.insurer } } : {}),
    created,
  };
}
