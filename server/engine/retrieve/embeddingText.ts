// Which documents carry a vector, and the text it is computed from. The kNN leg covers what a clinician's
// phrase should land on directly (ICD-10-CM codes and categories, guideline sections, neoplasm rows); index
// paths, PCS, HCPCS and CPT are reached by BM25.
import type { KnowledgeDoc } from './knowledgeDoc';

const GUIDELINE_CHARS = 1_000;
const ENCOUNTER_PHRASE = /,\s*(?:(?:initial|subsequent) encounter\b.*|sequela)$/i;

/** Document id → the text its vector is computed from, for the documents that carry one.
 *
 * Codes that differ only in their 7th character (S52.301A, S52.301D … S52.301S) share one vector: the engine offers
 * them as their 6-character stem and the note decides the character (engine/suggest/seventhCharacter.ts). The
 * family's first code carries it, its title without the encounter phrase. That halves what a cold build embeds
 * (78,744 texts → 40,368 for FY2026), which is most of a first run's time on a 2-core machine. */
export function vectorTexts(docs: readonly KnowledgeDoc[]): Map<string, string> {
  const out = new Map<string, string>();
  const families = new Set<string>();
  for (const doc of docs) {
    const family = seventhCharacterFamily(doc);
    if (family) {
      if (families.has(family)) continue;
      families.add(family);
    }
    const text = embeddingText(doc);
    if (text) out.set(doc.id, family ? text.replace(ENCOUNTER_PHRASE, '') : text);
  }
  return out;
}

function embeddingText(doc: KnowledgeDoc): string | undefined {
  switch (doc.kind) {
    case 'code':
      return doc.system === 'icd10cm' && (doc.billable || doc.code?.length === 3) ? doc.text : undefined;
    case 'guideline':
      return doc.text.slice(0, GUIDELINE_CHARS);
    case 'neoplasm':
      return doc.text;
    default:
      return undefined;
  }
}

function seventhCharacterFamily(doc: KnowledgeDoc): string | undefined {
  if (doc.kind !== 'code' || !doc.seventhCharacters?.length || !doc.code) return undefined;
  const raw = doc.code.replace('.', '');
  return raw.length === 7 ? `${doc.system}:${raw.slice(0, 6)}` : undefined;
}
