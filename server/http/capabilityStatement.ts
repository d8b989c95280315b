// GET /fhir/metadata: what this server offers — the $suggest-codes and $record-decision operations with their
// OperationDefinitions, and AuditEvent search.
import type { CapabilityStatement, OperationDefinition } from '@medplum/fhirtypes';

export const OPERATION_BASE = 'https://chartcoder.dev/fhir/OperationDefinition';

export const suggestCodesDefinition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: `${OPERATION_BASE}/suggest-codes`,
  name: 'SuggestCodes',
  title: 'Suggest codes for an encounter',
  status: 'active',
  kind: 'operation',
  code: 'suggest-codes',
  system: true,
  type: false,
  instance: true,
  resource: ['Encounter'],
  affectsState: false,
  description: 'Suggested ICD-10-CM / ICD-10-PCS / CPT / HCPCS codes with verified evidence, guidance and provenance.',
  parameter: [
    { name: 'bundle', use: 'in', min: 0, max: '1', type: 'Bundle', documentation: 'The encounter and its notes (system level).' },
    { name: 'encounter', use: 'in', min: 0, max: '1', type: 'Reference', documentation: 'An Encounter on the configured FHIR server (system level).' },
    { name: 'mode', use: 'in', min: 0, max: '1', type: 'code', documentation: 'retrieval | rag | ft | ft+rag' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle', documentation: 'Conditions, Procedures, Provenance, DetectedIssues and the Device.' },
    { name: 'mode', use: 'out', min: 1, max: '1', type: 'code' },
    { name: 'degradation', use: 'out', min: 0, max: '*', type: 'string' },
  ],
};

export const recordDecisionDefinition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: `${OPERATION_BASE}/record-decision`,
  name: 'RecordDecision',
  title: "Record a coder's decision",
  status: 'active',
  kind: 'operation',
  code: 'record-decision',
  system: true,
  type: false,
  instance: false,
  affectsState: true,
  parameter: [
    { name: 'subject', use: 'in', min: 1, max: '1', type: 'string', documentation: 'The encounter reference the suggestion belongs to.' },
    { name: 'suggestion', use: 'in', min: 1, max: '1', type: 'string', documentation: 'The suggestion id (system|code).' },
    { name: 'action', use: 'in', min: 1, max: '1', type: 'code', documentation: 'accept | reject | replace' },
    { name: 'replacement', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'reason', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'AuditEvent' },
  ],
};

export function capabilityStatement(): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-24',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'Chartcoder', version: '0.1.0' },
    implementation: { description: 'Chartcoder integrator API' },
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          description: 'Bearer tokens with SMART system scopes.',
        },
        resource: [
          { type: 'Encounter', operation: [{ name: 'suggest-codes', definition: suggestCodesDefinition.url! }] },
          { type: 'AuditEvent', interaction: [{ code: 'search-type' }], searchParam: [{ name: 'encounter', type: 'reference' }] },
        ],
        operation: [
          { name: 'suggest-codes', definition: suggestCodesDefinition.url! },
          { name: 'record-decision', definition: recordDecisionDefinition.url! },
          {
            name: 'write-back',
            definition: `${OPERATION_BASE}/write-back`,
            documentation: 'Off unless http.writeBack: the accepted code set as confirmed Conditions on the EHR server.',
          },
        ],
      },
    ],
  };
}
