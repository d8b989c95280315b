// `chartcoder bench encounter`: assembly + text processing per encounter for a ~400-word and a ~5,000-word note
// (CodiEsp dev English text, wrapped in a synthetic Bundle), next to sentence splitting alone on the same text in
// the same process as the baseline.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { assembleEncounter } from '../../../fhir';
import { processEncounter } from '../../engine/encounter/processEncounter';
import { splitSentences } from '../../engine/text/sentences';
import { percentile, round, timed } from './stats';

export interface EncounterBenchRow {
  readonly words: number;
  readonly mentions: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly baselineP50Ms: number;
  readonly ratio: number;
}

function syntheticBundle(text: string): Bundle {
  const data = Buffer.from(text, 'utf8').toString('base64');
  const resources: Resource[] = [
    { resourceType: 'Patient', id: 'bench-patient', gender: 'female', birthDate: '1960-01-01' },
    {
      resourceType: 'Encounter',
      id: 'bench-encounter',
      status: 'finished',
      class: { code: 'IMP' },
      subject: { reference: 'Patient/bench-patient' },
      period: { start: '2025-11-01', end: '2025-11-04' },
    },
    {
      resourceType: 'DocumentReference',
      id: 'bench-note',
      status: 'current',
      context: { encounter: [{ reference: 'Encounter/bench-encounter' }] },
      content: [{ attachment: { contentType: 'text/plain', data } }],
    },
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

export function noteOfWords(corpus: readonly string[], words: number): string {
  const out: string[] = [];
  let count = 0;
  for (let i = 0; count < words; i++) {
    const text = corpus[i % corpus.length]!;
    out.push(text);
    count += text.split(/\s+/).filter(Boolean).length;
  }
  return out.join('\n\n');
}

export async function benchEncounter(
  corpus: readonly string[],
  lexicon: ReadonlySet<string>,
  sizes: readonly number[],
  runs: number,
): Promise<EncounterBenchRow[]> {
  const rows: EncounterBenchRow[] = [];
  for (const size of sizes) rows.push(await benchOne(corpus, lexicon, size, runs));
  return rows;
}

async function benchOne(corpus: readonly string[], lexicon: ReadonlySet<string>, size: number, runs: number): Promise<EncounterBenchRow> {
  {
    const text = noteOfWords(corpus, size);
    const bundle = syntheticBundle(text);
    const samples: number[] = [];
    const baseline: number[] = [];
    let mentions = 0;
    for (let i = 0; i < runs; i++) {
      const run = await timed(() => {
        const assembled = assembleEncounter(
          (bundle.entry ?? []).map((e) => e.resource!),
          'bench-encounter',
        );
        if (!('view' in assembled)) throw new Error(assembled.message);
        return processEncounter(assembled.view, lexicon);
      });
      mentions = run.value.notes[0]?.processed.mentions.length ?? 0;
      samples.push(run.ms);
      baseline.push((await timed(() => splitSentences(text))).ms);
    }
    return {
      words: text.split(/\s+/).filter(Boolean).length,
      mentions,
      p50Ms: round(percentile(samples, 50), 1),
      p95Ms: round(percentile(samples, 95), 1),
      baselineP50Ms: round(percentile(baseline, 50), 1),
      ratio: round(percentile(samples, 50) / percentile(baseline, 50), 1),
    };
  }
}
