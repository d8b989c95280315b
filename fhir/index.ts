// fhir/: the FHIR R4 subset Chartcoder uses. Types come from @medplum/fhirtypes; no network, no vscode, no node.
export type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  Condition,
  DocumentReference,
  Encounter,
  OperationOutcome,
  Patient,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
export * from './codeSystems';
export * from './guards';
export * from './operationOutcome';
export * from './assembleEncounter';
export * from './attachment';
export * from './encounterView';
export * from './fiscalYear';
export * from './noteEncounter';
