// CDS Hooks 2.0: discovery, the `chartcoder-coding` service (encounter-discharge, or called app-initiated) that
// answers one card per suggestion — evidence in the detail, the code and its alternatives as suggestions to pick at
// most one of — and the feedback endpoint, whose accepted / overridden outcomes are stored as decisions.
import { randomUUID } from 'node:crypto';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { assembleEncounter, type EncounterView } from '../../fhir';
import { z } from 'zod';
import { ChartcoderError } from '../engine/errors';
import { assertValidResource, parseInput } from './inboundResources';
import type { Suggestion, SuggestResult } from '../engine/suggest/suggestion';
import type { DecisionStore } from '../app/ports';
import { encounterDiagnosis, EXTENSION_BASE } from './suggestionResources';

export const SERVICE_ID = 'chartcoder-coding';
const OVERRIDE_SYSTEM = `${EXTENSION_BASE}/override-reason`;
const OVERRIDE_REASONS = [
  { code: 'not-documented', display: 'Not documented in the note' },
  { code: 'not-significant', display: 'Not clinically significant for this encounter' },
  { code: 'wrong-code', display: 'Another code is more accurate' },
];

export function discovery(): { services: unknown[] } {
  return {
    services: [
      {
        hook: 'encounter-discharge',
        id: SERVICE_ID,
        title: 'Chartcoder coding suggestions',
        description: 'Suggested ICD-10-CM / ICD-10-PCS / CPT / HCPCS codes for the encounter, each with evidence from the notes and the guidance it rests on.',
        prefetch: {
          encounter: 'Encounter/{{context.encounterId}}',
          patient: 'Patient/{{context.patientId}}',
          notes: 'DocumentReference?encounter={{context.encounterId}}',
        },
        usageRequirements: 'Also callable app-initiated with context.encounterId.',
      },
    ],
  };
}

export interface HookRequest {
  readonly hookInstance: string;
  readonly encounterId: string;
  readonly prefetched?: readonly Resource[];
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

const hookRequestSchema = z
  .object({
    hook: z.string().min(1).max(200),
    hookInstance: z.string().min(1).max(200),
    fhirServer: z.string().url().optional(),
    context: z
      .object({ encounterId: z.string().regex(ID, 'an Encounter id'), patientId: z.string().regex(ID).optional(), userId: z.string().max(200).optional() })
      .passthrough(),
    // A prefetch the EHR could not fulfil is null (CDS Hooks 2.0): then the encounter is read from the FHIR server.
    prefetch: z.record(z.unknown()).optional(),
  })
  .passthrough();

export function parseHookRequest(body: unknown): HookRequest {
  const request = parseInput(hookRequestSchema, body, 'request');
  const resources = Object.entries(request.prefetch ?? {}).flatMap(([key, value]) => {
    if (value === null || value === undefined) return [];
    assertValidResource(value, `prefetch.${key}`);
    const r = value as Resource;
    return r.resourceType === 'Bundle' ? ((r as Bundle).entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])) : [r];
  });
  const encounterId = request.context.encounterId;
  return { hookInstance: request.hookInstance, encounterId, ...(resources.some((r) => r.resourceType === 'Encounter') ? { prefetched: resources } : {}) };
}

export function viewFromPrefetch(request: HookRequest): EncounterView | undefined {
  if (!request.prefetched) return undefined;
  const assembled = assembleEncounter(request.prefetched, request.encounterId);
  if ('problem' in assembled) throw new ChartcoderError('bad-input', `prefetch: ${assembled.message}`);
  return assembled.view;
}

export interface CardRecord {
  readonly encounter: string;
  readonly suggestionId: string;
  readonly codes: ReadonlyMap<string, string>;
}

function detailOf(s: Suggestion): string {
  return [
    ...s.evidence.map((e) => `> "${e.text}" (${e.sourceId}, characters ${e.start}–${e.end})`),
    s.rationale ? `\n${s.rationale}` : '',
    ...s.findings.map((f) => `- ${f.severity === 'info' ? 'ℹ' : '⚠'} ${f.message} (${f.source})`),
    `\nConfidence ${Math.round(s.confidence * 100)}% (${s.confidenceBasis}); ${s.provenance.mode}${s.provenance.model ? `, ${s.provenance.model}` : ''}.`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A card that says the answer is degraded, and why: shown before the code cards. */
function degradedCard(degradations: readonly string[]): unknown {
  return {
    uuid: randomUUID(),
    summary: 'Chartcoder: these suggestions are incomplete',
    indicator: 'warning',
    source: { label: 'Chartcoder' },
    detail: degradations.map((d) => `- ${d}`).join('\n'),
  };
}

export function cardsOf(result: SuggestResult, view: EncounterView, remember: (uuid: string, record: CardRecord) => void): { cards: unknown[] } {
  return {
    cards: [
      ...(result.degradations.length ? [degradedCard(result.degradations)] : []),
      ...result.suggestions.map((s) => {
        const uuid = randomUUID();
        const options = [
          { code: s.code, display: s.display, recommended: true },
          ...s.alternatives.map((a) => ({ code: a.code, display: a.display, recommended: false })),
        ];
        const suggestions = options.map((o) => ({
          label: `${o.recommended ? 'Add' : 'Add instead'} ${o.code} ${o.display}`.slice(0, 140),
          uuid: randomUUID(),
          isRecommended: o.recommended,
          actions: [
            {
              type: 'create',
              description: `Add ${o.code} to the encounter's diagnoses`,
              resource: encounterDiagnosis({ system: s.systemUri, code: o.code, display: o.display }, view, 'confirmed'),
            },
          ],
        }));
        remember(uuid, { encounter: view.encounter.reference, suggestionId: s.id, codes: new Map(suggestions.map((x, i) => [x.uuid, options[i]!.code])) });
        return {
          uuid,
          summary: `${s.code} ${s.display}`.slice(0, 140),
          detail: detailOf(s),
          indicator: s.findings.some((f) => f.severity !== 'info') ? 'warning' : 'info',
          source: { label: 'Chartcoder', topic: { system: s.systemUri, code: s.code, display: s.display } },
          suggestions,
          selectionBehavior: 'at-most-one',
          overrideReasons: OVERRIDE_REASONS.map((r) => ({ system: OVERRIDE_SYSTEM, ...r })),
        };
      }),
    ],
  };
}

interface FeedbackItem {
  readonly card: string;
  readonly outcome: 'accepted' | 'overridden';
  readonly acceptedSuggestions?: readonly { readonly id: string }[];
  readonly overrideReason?: { readonly reason?: { readonly code?: string }; readonly userComment?: string };
  readonly outcomeTimestamp: string;
}

const feedbackSchema = z
  .object({
    feedback: z
      .array(
        z
          .object({
            card: z.string().min(1).max(200),
            outcome: z.enum(['accepted', 'overridden']),
            acceptedSuggestions: z
              .array(z.object({ id: z.string().min(1).max(200) }).passthrough())
              .max(50)
              .optional(),
            overrideReason: z
              .object({
                reason: z
                  .object({ code: z.string().max(200).optional(), system: z.string().max(500).optional(), display: z.string().max(500).optional() })
                  .passthrough()
                  .optional(),
                userComment: z.string().max(2000).optional(),
              })
              .passthrough()
              .optional(),
            outcomeTimestamp: z.string().datetime({ offset: true }),
          })
          .passthrough(),
      )
      .min(1)
      .max(100),
  })
  .passthrough();

const parseFeedback = (body: unknown): FeedbackItem[] => parseInput(feedbackSchema, body, 'feedback').feedback;

export function storeFeedback(body: unknown, cards: ReadonlyMap<string, CardRecord>, decisions: DecisionStore, client: string): number {
  const items = parseFeedback(body);
  for (const item of items) {
    const card = cards.get(item.card);
    const accepted = item.acceptedSuggestions?.[0]?.id;
    const chosen = accepted ? card?.codes.get(accepted) : undefined;
    const recommended = card ? [...card.codes.values()][0] : undefined;
    const reason = [item.overrideReason?.reason?.code, item.overrideReason?.userComment].filter(Boolean).join(': ');
    decisions.record({
      subject: card?.encounter ?? `cds-card/${item.card}`,
      suggestionId: card?.suggestionId ?? item.card,
      action: item.outcome === 'overridden' ? 'reject' : chosen && chosen !== recommended ? 'replace' : 'accept',
      ...(chosen && chosen !== recommended ? { replacementCode: chosen } : {}),
      ...(reason ? { reason } : {}),
      user: client,
      time: item.outcomeTimestamp,
      provenance: { via: 'cds-hooks feedback', card: item.card },
    });
  }
  return items.length;
}
