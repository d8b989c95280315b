// Code-system URIs every document, suggestion and emitted resource uses.
export const CodeSystem = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
} as const;

export type CodeSystemKey = keyof typeof CodeSystem;
export type CodeSystemUri = (typeof CodeSystem)[CodeSystemKey];
