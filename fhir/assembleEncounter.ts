// Resources (a Bundle's entries, or what the FHIR adapter fetched) → EncounterView. Pure: Binary contents must be
// among the resources; anything unusable becomes a warning naming its resource, never an exception.
import type {
  Attachment,
  Binary,
  CodeableConcept,
  Composition,
  Condition,
  Coverage,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
import { decodeAttachment } from './attachment';
import type { ClinicalFact, CodingHint, EncounterSetting, EncounterView, SourceNote } from './encounterView';
import { codeSetFiscalYear } from './fiscalYear';

export type AssemblyResult =
  | { readonly view: EncounterView }
  | { readonly problem: 'no-encounter' | 'ambiguous-encounter' | 'unknown-encounter'; readonly message: string };

const SETTINGS: Record<string, EncounterSetting> = {
  IMP: 'inpatient',
  ACUTE: 'inpatient',
  NONAC: 'inpatient',
  AMB: 'outpatient',
  VR: 'outpatient',
  HH: 'outpatient',
  EMER: 'emergency',
  OBSENC: 'observation',
};

const ref = (r: Resource): string => `${r.resourceType}/${r.id ?? '?'}`;
const pointsTo = (reference: string | undefined, target: string): boolean => !!reference && (reference === target || reference.endsWith(`/${target}`));

function ageAt(birthDate: string | undefined, date: string | undefined): number | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate ?? '');
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(date ?? '');
  if (!b || !d) return undefined;
  const age = Number(d[1]) - Number(b[1]);
  return Number(d[2]) * 100 + Number(d[3]) < Number(b[2]) * 100 + Number(b[3]) ? age - 1 : age;
}

const conceptText = (c: CodeableConcept | undefined): string => c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? '';

function hints(resource: Condition | Procedure): CodingHint[] {
  const codings = resource.code?.coding ?? [];
  const base = { reference: ref(resource), ...(resource.code?.text ? { text: resource.code.text } : {}) };
  return codings.length
    ? codings.map((c) => ({
        ...base,
        ...(c.system ? { system: c.system } : {}),
        ...(c.code ? { code: c.code } : {}),
        ...(c.display ? { display: c.display } : {}),
      }))
    : [base];
}

function billingOf(encounter: Encounter, coverages: readonly Coverage[]): EncounterView['billing'] {
  const provider = encounter.serviceProvider?.reference ?? encounter.participant?.find((p) => p.individual?.reference)?.individual?.reference;
  const insurer = coverages[0]?.payor?.find((p) => p.reference?.includes('Organization/'))?.reference;
  if (!provider && !coverages.length) return undefined;
  return { ...(provider ? { provider } : {}), coverage: coverages.map(ref), ...(insurer ? { insurer } : {}) };
}

function chooseEncounter(resources: readonly Resource[], id: string | undefined): Encounter | Exclude<AssemblyResult, { view: EncounterView }> {
  const encounters = resources.filter((r): r is Encounter => r.resourceType === 'Encounter');
  if (id) return encounters.find((e) => e.id === id) ?? { problem: 'unknown-encounter', message: `no Encounter/${id} among the resources` };
  if (encounters.length === 0) return { problem: 'no-encounter', message: 'the input has no Encounter' };
  if (encounters.length > 1)
    return {
      problem: 'ambiguous-encounter',
      message: `the input has ${encounters.length} Encounters (${encounters
        .slice(0, 5)
        .map((e) => e.id)
        .join(', ')}…); name one`,
    };
  return encounters[0]!;
}

export function assembleEncounter(resources: readonly Resource[], encounterId?: string): AssemblyResult {
  const chosen = chooseEncounter(resources, encounterId);
  if ('problem' in chosen) return chosen;
  const encounter = chosen;
  const encRef = ref(encounter);
  const belongs = (refs: readonly (string | undefined)[]) => refs.some((r) => pointsTo(r, encRef));
  const warnings: string[] = [];
  const binaries = new Map(resources.filter((r): r is Binary => r.resourceType === 'Binary').map((b) => [ref(b), b]));
  const notes: SourceNote[] = [];
  const addAttachments = (resource: Resource, attachments: readonly Attachment[], title: string | undefined, date: string | undefined) => {
    attachments.forEach((attachment, index) => {
      const binary = attachment.url ? [...binaries.entries()].find(([key]) => pointsTo(attachment.url, key))?.[1] : undefined;
      const decoded = decodeAttachment(attachment, binary?.data);
      const id = `${ref(resource)}#${index}`;
      if ('problem' in decoded) {
        warnings.push(`${id}: skipped: ${decoded.problem}`);
        return;
      }
      if (decoded.warning) warnings.push(`${id}: ${decoded.warning}`);
      notes.push({
        id,
        reference: ref(resource),
        attachmentIndex: index,
        contentType: decoded.contentType,
        text: decoded.text,
        ...(title ? { title } : {}),
        ...(date ? { date } : {}),
      });
    });
  };
  for (const r of resources) {
    if (r.resourceType === 'DocumentReference' && belongs((r as DocumentReference).context?.encounter?.map((e) => e.reference) ?? [])) {
      const doc = r as DocumentReference;
      addAttachments(
        doc,
        (doc.content ?? []).map((c) => c.attachment),
        doc.description ?? conceptText(doc.type),
        doc.date,
      );
    } else if (r.resourceType === 'DiagnosticReport' && belongs([(r as DiagnosticReport).encounter?.reference])) {
      const report = r as DiagnosticReport;
      addAttachments(report, report.presentedForm ?? [], conceptText(report.code), report.effectiveDateTime ?? report.issued);
    } else if (r.resourceType === 'Composition' && belongs([(r as Composition).encounter?.reference])) {
      const composition = r as Composition;
      (composition.section ?? []).forEach((section, index) => {
        if (section.text?.div)
          notes.push({
            id: `${ref(composition)}#${index}`,
            reference: ref(composition),
            attachmentIndex: index,
            contentType: 'text/html',
            text: section.text.div,
            ...(section.title ? { title: section.title } : {}),
            ...(composition.date ? { date: composition.date } : {}),
          });
      });
    }
  }
  const mine = <T extends Resource>(type: T['resourceType'], encounterOf: (r: T) => string | undefined) =>
    resources.filter((r): r is T => r.resourceType === type && belongs([encounterOf(r as T)]));
  const patientRef = encounter.subject?.reference;
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient' && pointsTo(patientRef, ref(r)));
  if (patientRef && !patient) warnings.push(`${patientRef}: not available; age and sex unknown`);
  const period = encounter.period;
  const setting = SETTINGS[encounter.class?.code ?? ''] ?? 'other';
  const serviceDate = setting === 'inpatient' ? (period?.end ?? period?.start) : period?.start;
  const fiscalYear = codeSetFiscalYear(serviceDate);
  if (fiscalYear === undefined) warnings.push(`${encRef}: no period; the code-set fiscal year is unknown`);
  if (notes.length === 0) warnings.push(`${encRef}: no readable notes`);
  const age = ageAt(patient?.birthDate, serviceDate);
  const billing = billingOf(
    encounter,
    resources.filter(
      (r): r is Coverage => r.resourceType === 'Coverage' && r.status === 'active' && !!patient && pointsTo(r.beneficiary?.reference, ref(patient)),
    ),
  );
  const fact = (r: Observation | MedicationRequest): ClinicalFact => {
    const display = r.resourceType === 'Observation' ? conceptText(r.code) : conceptText(r.medicationCodeableConcept) || (r.medicationReference?.display ?? '');
    const value =
      r.resourceType === 'Observation'
        ? r.valueQuantity
          ? `${r.valueQuantity.value} ${r.valueQuantity.unit ?? ''}`.trim()
          : (r.valueString ?? conceptText(r.valueCodeableConcept))
        : r.dosageInstruction?.[0]?.text;
    const date = r.resourceType === 'Observation' ? r.effectiveDateTime : r.authoredOn;
    return { reference: ref(r), display, ...(value ? { value } : {}), ...(date ? { date } : {}) };
  };
  return {
    view: {
      encounter: {
        reference: encRef,
        setting,
        ...(encounter.class?.code ? { classCode: encounter.class.code } : {}),
        ...(period ? { period: { ...(period.start ? { start: period.start } : {}), ...(period.end ? { end: period.end } : {}) } } : {}),
        ...(fiscalYear ? { fiscalYear } : {}),
      },
      ...(patient
        ? { patient: { reference: ref(patient), ...(patient.gender ? { sex: patient.gender } : {}), ...(age !== undefined ? { ageAtService: age } : {}) } }
        : {}),
      ...(billing ? { billing } : {}),
      notes,
      conditions: mine<Condition>('Condition', (c) => c.encounter?.reference).flatMap(hints),
      procedures: mine<Procedure>('Procedure', (p) => p.encounter?.reference).flatMap(hints),
      observations: mine<Observation>('Observation', (o) => o.encounter?.reference).map(fact),
      medications: mine<MedicationRequest>('MedicationRequest', (m) => m.encounter?.reference).map(fact),
      warnings,
    },
  };
}
