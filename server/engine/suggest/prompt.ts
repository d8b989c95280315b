// Fills the shared prompt template and builds the JSON schema whose `code` enum is the candidate list, so the model
// cannot answer with a code that retrieval did not offer. Without candidates (ft mode) the schema only constrains
// the code's shape, and verification decides.
import TEMPLATE from './promptTemplate.json';
import type { Candidate } from './candidates';

export interface PromptGuidance {
  readonly id: string;
  readonly title: string;
}

export interface PromptInput {
  readonly setting: string;
  readonly fiscalYear: number | undefined;
  readonly mention: string;
  readonly context: string;
  /** Note text around the mention. */
  readonly window: string;
  /** Empty: the ft prompt, which asks for a code of `system` from memory. */
  readonly candidates: readonly Candidate[];
  readonly guidance: readonly PromptGuidance[];
  /** Key facts per candidate code (index path, tabular note), shown after its title. */
  readonly details?: ReadonlyMap<string, readonly string[]>;
  readonly system?: 'ICD-10-CM' | 'ICD-10-PCS' | 'HCPCS' | 'CPT';
}

export interface Prompt {
  readonly system: string;
  readonly user: string;
  readonly schema: Record<string, unknown>;
  readonly templateVersion: number;
}

/** Shape of a code when no candidate enum constrains it (ft mode). */
export const CODE_SHAPE = '^([A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?|[0-9A-HJ-NP-Z]{7}|[A-V][0-9]{4}|[0-9]{4}[0-9A-Z])$';

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

/** Triple angle brackets delimit the note; a note cannot close the block early. */
const quoteAsData = (text: string): string => text.replace(/<<<|>>>/g, '« »');

function candidateLines(input: PromptInput): string {
  return input.candidates
    .map((c, i) => {
      const details = input.details?.get(c.code) ?? [];
      return `${i + 1}. ${c.code} ${c.title}${details.length ? ` (${details.join('; ')})` : ''}`;
    })
    .join('\n');
}

export function buildPrompt(input: PromptInput): Prompt {
  const free = input.candidates.length === 0;
  const guidance = input.guidance.map((g) => `[${g.id}] ${g.title}`).join('\n') || 'none';
  const values = {
    setting: input.setting,
    fiscalYear: String(input.fiscalYear ?? 'unknown'),
    mention: quoteAsData(input.mention),
    context: input.context,
    window: quoteAsData(input.window),
    candidates: candidateLines(input),
    guidance,
    system: input.system ?? 'ICD-10-CM',
  };
  return {
    system: TEMPLATE.system,
    user: fill(free ? TEMPLATE.userWithoutCandidates : TEMPLATE.user, values),
    schema: {
      type: 'object',
      properties: {
        code: free ? { type: 'string', pattern: CODE_SHAPE } : { type: 'string', enum: input.candidates.map((c) => c.code) },
        quote: { type: 'string', maxLength: 200 },
        citation: { type: 'string', enum: [...(free ? [] : input.guidance.map((g) => g.id)), 'none'] },
        rationale: { type: 'string', maxLength: 160 },
      },
      required: ['code', 'quote', 'citation', 'rationale'],
    },
    templateVersion: TEMPLATE.version,
  };
}

export interface ModelAnswer {
  readonly code: string;
  readonly quote: string;
  readonly citation: string;
  readonly rationale: string;
}

/** The model's output, cleaned once: a typed answer with an allowed code (any well-formed code when `allowedCodes`
 * is undefined), or why not. */
export function parseModelAnswer(raw: string, allowedCodes: readonly string[] | undefined): ModelAnswer | { readonly problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: 'the model did not return JSON' };
  }
  const answer = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof ModelAnswer, unknown>>;
  const code = typeof answer.code === 'string' ? answer.code.trim().toUpperCase() : undefined;
  if (code === undefined || (allowedCodes ? !allowedCodes.includes(code) : !new RegExp(CODE_SHAPE).test(code))) {
    return {
      problem: allowedCodes
        ? `code ${JSON.stringify(answer.code)} is not one of the candidates`
        : `code ${JSON.stringify(answer.code)} is not shaped like a code`,
    };
  }
  return {
    code,
    quote: typeof answer.quote === 'string' ? answer.quote : '',
    citation: typeof answer.citation === 'string' ? answer.citation : 'none',
    rationale: typeof answer.rationale === 'string' ? answer.rationale : '',
  };
}
