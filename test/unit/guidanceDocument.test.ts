// The guidance a suggestion cites, as the coder opens it from a hover: links that name a knowledge document and
// survive the trip through a command link, and each kind of document rendered with its notes and its source.
import assert from 'node:assert/strict';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';
import { guidanceIdOf, guidanceLink } from '../../server/engine/suggest/guidance';
import { guidanceMarkdown } from '../../server/engine/suggest/guidanceDocument';
import { openGuidanceLink } from '../../server/lsp/guidanceDocuments';
import { Commands, GUIDANCE_SCHEME } from '../../server/protocol';

const base = { system: 'icd10cm', systemUri: 'http://hl7.org/fhir/sid/icd-10-cm', fy: 2026 } as const;

const CATEGORY: KnowledgeDoc = {
  ...base,
  id: 'icd10cm:2026:code:I50',
  kind: 'code',
  title: 'Heart failure',
  text: 'Heart failure',
  code: 'I50',
  codes: ['I50'],
  billable: false,
  chapter: '9',
  category: 'I50',
  notes: [
    { kind: 'excludes1', text: 'cardiac arrest (I46.-)' },
    { kind: 'codeFirst', text: 'heart failure due to hypertension (I11.0)' },
    { kind: 'codeFirst', text: 'heart failure following surgery (I97.13-)' },
  ],
  source: { file: 'icd10cm-tabular-2026.xml', line: 41230 },
};

const INDEX_ENTRY: KnowledgeDoc = {
  ...base,
  id: 'icd10cm:2026:index:88121',
  kind: 'index',
  title: 'Failure, heart, systolic, acute and chronic',
  text: 'failure heart systolic acute and chronic (congestive)',
  code: 'I50.23',
  codes: ['I50.23'],
  path: ['Failure', 'heart', 'systolic', 'acute and chronic'],
  source: { file: 'icd10cm-index-2025.csv', line: 9001, fallback: 'FY2025 Alphabetic Index' },
};

const GUIDELINE: KnowledgeDoc = {
  ...base,
  id: 'icd10cm:2026:guideline:I.B.18',
  kind: 'guideline',
  title: 'Use of Sign/Symptom/Unspecified Codes',
  text: 'Sign/symptom and "unspecified" codes have acceptable, even necessary, uses.',
  codes: [],
  guideline: { section: 'I.B.18', title: 'Use of Sign/Symptom/Unspecified Codes', page: 18 },
  source: { file: 'fy2026-guidelines.pdf' },
};

describe('guidance links and documents', () => {
  it('a link names its knowledge document in the guidance scheme, and reads back through the hover command link', () => {
    const link = guidanceLink(INDEX_ENTRY.id);
    assert.ok(link.startsWith(`${GUIDANCE_SCHEME}:/`));
    assert.equal(guidanceIdOf(link), INDEX_ENTRY.id);
    const command = openGuidanceLink(link);
    assert.ok(command.startsWith(`command:${Commands.openGuidance}?`));
    assert.deepEqual(JSON.parse(decodeURIComponent(command.slice(command.indexOf('?') + 1))), [link]);
  });

  it('anything that is not a guidance link names no document', () => {
    for (const other of ['https://example.test/x', 'chartcoder:/Encounter/e1', 'chartcoder-guidance:/', 'chartcoder-guidance:/%E0%A4%A'])
      assert.equal(guidanceIdOf(other), undefined, other);
  });

  it('a Tabular List entry: heading, place in the code set, every note under its label in Tabular order, the source', () => {
    const text = guidanceMarkdown(CATEGORY);
    assert.match(text, /^# I50 Heart failure\n\nICD-10-CM FY2026 · Tabular List · header: not billable, choose a child code\n/);
    assert.match(
      text,
      /## Excludes1\n- cardiac arrest \(I46\.-\)\n\n## Code first\n- heart failure due to hypertension \(I11\.0\)\n- heart failure following surgery \(I97\.13-\)\n/,
    );
    assert.match(text, /Source: icd10cm-tabular-2026\.xml, line 41230 · icd10cm:2026:code:I50\n$/);
  });

  it('an Index entry: its path and the codes it leads to; content from another release says so', () => {
    const text = guidanceMarkdown(INDEX_ENTRY);
    assert.match(text, /^# Failure, heart, systolic, acute and chronic\n\nICD-10-CM FY2026 · Alphabetic Index\n/);
    assert.match(text, /\*\*Failure › heart › systolic › acute and chronic\*\*\n\nLeads to: I50\.23\n/);
    assert.match(text, /Source: icd10cm-index-2025\.csv, line 9001 \(from FY2025 Alphabetic Index\)/);
  });

  it('an Official Guidelines section: its number, title, page and text', () => {
    const text = guidanceMarkdown(GUIDELINE);
    assert.match(
      text,
      /^# Section I\.B\.18 Use of Sign\/Symptom\/Unspecified Codes\n\nICD-10-CM FY2026 · Official Guidelines for Coding and Reporting · page 18\n/,
    );
    assert.match(text, /Sign\/symptom and "unspecified" codes have acceptable, even necessary, uses\./);
    assert.doesNotMatch(text, /Leads to/);
  });
});
