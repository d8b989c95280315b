// Fills the shared prompt template and builds the JSON schema whose `code` enum is the candidate list, so the model
// cannot answer with a code that retrieval did not offer.
import TEMPLATE from './promptTemplate.json';
import type { Candidate } from './candidates';

export interface PromptInput {
  readonly setting: string;
  readonly fiscalYear: number | undefined;
  readonly mention: string;
  readonly context: string;
  /** Note text around the mention. */
  readonly window: string;
  readonly candidates: readonly Candidate[];
  readonly guidance: readonly { readonly id: string; readonly title: string }[];
}

export interface Prompt {
  readonly system: string;
  readonly user: string;
  readonly schema: Record<string, unknown>;
  readonly templateVersion: number;
}

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

/** Triple angle brackets delimit the note; a note cannot close the block early. */
const quoteAsData = (text: string): string => text.replace(/<<<|>>>/g, '« »');

export function buildPrompt(input: PromptInput): Prompt {
  const candidates = input.candidates.map((c, i) => `${i + 1}. ${c.code} ${c.title}`).join('\n');
  const guidance = input.guidance.map((g) => `[${g.id}] ${g.title}`).join('\n') || 'none';
  return {
    system: TEMPLATE.system,
    user: fill(TEMPLATE.user, {
      setting: input.setting, fiscalYear: String(input.fiscalYear ?? 'unknown'), mention: quoteAsData(input.mention), context: input.context,
      window: quoteAsData(input.window), candidates, guidance,
    }),
    schema: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: input.candidates.map((c) => c.code) },
        quote: { type: 'string', maxLength: 200 },
        citation: { type: 'string', enum: [...input.guidance.map((g) => g.id), 'none'] },
        rationale: { type: 'string', maxLength: 300 },
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

/** The model's output, cleaned once: a typed answer with a code from the enum, or why not. */
export function parseModelAnswer(raw: string, allowedCodes: readonly string[]): ModelAnswer | { readonly problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: 'the model did not return JSON' };
  }
  const answer = value as Partial<Record<keyof ModelAnswer, unknown>>;
  if (typeof answer.code !== 'string' || !allowedCodes.includes(answer.code)) return { problem: `code ${JSON.stringify(answer.code)} is not one of the candidates` };
  return {
    code: answer.code,
    quote: typeof answer.quote === 'string' ? answer.quote : '',
    citation: typeof answer.citation === 'string' ? answer.citation : 'none',
    rationale: typeof answer.rationale === 'string' ? answer.rationale : '',
  };
}
