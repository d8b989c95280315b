// Confidence in [0, 1] for a suggestion.
// Model modes: the probability the model gave the chosen code among the candidates, from its token
// log-probabilities. Grammar-constrained decoding hides every token the schema forbids, so at each token of the
// code's value the chosen token's probability is renormalized over the alternatives (Ollama's top_logprobs) that
// would still spell an allowed code; the product over the value's tokens is the confidence. Raw, uncalibrated: the
// evaluation harness reports its calibration error.
// Retrieval mode: how well the note documents the top candidate, halved when the runner-up is as good (uncalibrated).
import type { TokenLogprob } from '../ports';

interface Located {
  readonly start: number;
  readonly token: TokenLogprob;
}

function valueStart(content: string, field = 'code'): number | undefined {
  const match = new RegExp(`"${field}"\\s*:\\s*"`).exec(content);
  return match ? match.index + match[0].length : undefined;
}

/** How an alternative token at `tokenStart` would continue the code value, or undefined if it cannot. */
function spelled(alt: string, tokenStart: number, start: number, prefix: string, lead: string): string | undefined {
  const offset = Math.max(0, start - tokenStart);
  if (alt.slice(0, offset) !== lead) return undefined;
  const rest = alt.slice(offset);
  const quote = rest.indexOf('"');
  return quote >= 0 ? `${prefix}${rest.slice(0, quote)}"` : prefix + rest;
}

function allows(text: string, allowed: readonly string[]): boolean {
  if (text.endsWith('"')) return allowed.includes(text.slice(0, -1));
  return allowed.some((code) => code.startsWith(text));
}

/** At the token starting at `tokenStart`: the value the token itself spells, and it and its alternatives that still
 * spell an allowed value, each with that value and its probability mass (the schema's grammar masks the others). */
function allowedOptions(token: TokenLogprob, tokenStart: number, start: number, content: string, allowed: readonly string[]) {
  const prefix = content.slice(start, Math.max(start, tokenStart));
  const lead = content.slice(tokenStart, Math.max(tokenStart, start));
  const options = new Map<string, number>([[token.token, token.logprob]]);
  for (const alt of token.top ?? []) if (!options.has(alt.token)) options.set(alt.token, alt.logprob);
  return {
    chosen: spelled(token.token, tokenStart, start, prefix, lead),
    options: [...options].flatMap(([text, logprob]) => {
      const value = spelled(text, tokenStart, start, prefix, lead);
      return value !== undefined && allows(value, allowed) ? [{ text, value, mass: Math.exp(logprob) }] : [];
    }),
  };
}

const massOf = (options: readonly { readonly mass: number }[]): number => options.reduce((sum, o) => sum + o.mass, 0);

/** `allowed` undefined (ft mode: any well-formed code): the raw probability of the code's tokens. */
export function codeProbability(tokens: readonly TokenLogprob[], chosen: string, allowed: readonly string[] | undefined, field = 'code'): number | undefined {
  const content = tokens.map((t) => t.token).join('');
  const start = valueStart(content, field);
  if (start === undefined || content.slice(start, start + chosen.length) !== chosen) return undefined;
  const end = start + chosen.length;
  const located: Located[] = [];
  let at = 0;
  for (const token of tokens) {
    if (at + token.token.length > start && at < end) located.push({ start: at, token });
    at += token.token.length;
  }
  let probability = 1;
  for (const { start: tokenStart, token } of located) {
    if (!allowed) {
      probability *= Math.exp(token.logprob);
      continue;
    }
    const total = massOf(allowedOptions(token, tokenStart, start, content, allowed).options);
    probability *= total > 0 ? Math.exp(token.logprob) / total : 1;
  }
  return probability;
}

/** Every allowed value of the answer's `field` with its probability, from the greedy path's tokens and their
 * top alternatives: at each token of the value the alternatives that still spell an allowed value are renormalized,
 * as in `codeProbability`; the share of an alternative that leaves the greedy path goes to the allowed values it
 * leads to, evenly (their later tokens were never generated). Undefined when the answer holds no value. */
export function valueDistribution(tokens: readonly TokenLogprob[], allowed: readonly string[], field = 'code'): Map<string, number> | undefined {
  const content = tokens.map((t) => t.token).join('');
  const start = valueStart(content, field);
  const close = start === undefined ? -1 : content.indexOf('"', start);
  if (start === undefined || close < 0 || !allowed.includes(content.slice(start, close))) return undefined;
  const distribution = new Map<string, number>(allowed.map((code) => [code, 0]));
  const reachedBy = (value: string) => (value.endsWith('"') ? allowed.filter((c) => `${c}"` === value) : allowed.filter((c) => c.startsWith(value)));
  let path = 1;
  let at = 0;
  for (const token of tokens) {
    const tokenStart = at;
    at += token.token.length;
    if (at <= start || tokenStart > close) continue;
    const { chosen, options } = allowedOptions(token, tokenStart, start, content, allowed);
    const total = massOf(options);
    if (total === 0) continue;
    const onPath = new Set(reachedBy(chosen ?? ''));
    for (const option of options) {
      if (option.text === token.token) continue;
      const leaving = reachedBy(option.value).filter((code) => !onPath.has(code));
      for (const code of leaving) distribution.set(code, distribution.get(code)! + (path * option.mass) / total / leaving.length);
    }
    path *= Math.exp(token.logprob) / total;
  }
  const chosen = content.slice(start, close);
  distribution.set(chosen, distribution.get(chosen)! + path);
  const sum = [...distribution.values()].reduce((a, b) => a + b, 0);
  for (const [code, p] of distribution) distribution.set(code, p / sum);
  return distribution;
}

/** `ranked` best first: `documented` in [0, 1], `score` the rank score. */
export function retrievalConfidence(ranked: readonly { readonly documented: number; readonly score: number }[]): number {
  const [top, next] = ranked;
  if (!top) return 0;
  const margin = next ? Math.min(1, Math.max(0, (top.score - next.score) / 0.1)) : 1;
  return top.documented * (0.5 + 0.5 * margin);
}
