// Length-based sentence alignment, used to carry CodiEsp-X's Spanish evidence spans to the English lines.
import assert from 'node:assert/strict';
import type { CodiespCase } from '../../server/tooling/evaluate/codiesp';
import { evidenceLines, goldEvidenceRegions } from '../../server/tooling/evaluate/codiespEvidence';
import { alignByLength, lineSpans, sentenceSpans } from '../../server/tooling/evaluate/sentenceAlignment';

describe('sentence alignment', () => {
  it('pairs sentences one to one when the lengths correspond', () => {
    assert.deepEqual(
      alignByLength([100, 40, 220], [90, 35, 200]).map((b) => [b.source, b.target]),
      [
        [[0], [0]],
        [[1], [1]],
        [[2], [2]],
      ],
    );
  });

  it('merges two translated sentences that the original wrote as one, and the reverse', () => {
    assert.deepEqual(
      alignByLength([100, 300, 50], [95, 140, 150, 45]).map((b) => [b.source, b.target]),
      [
        [[0], [0]],
        [[1], [1, 2]],
        [[2], [3]],
      ],
    );
    assert.deepEqual(
      alignByLength([60, 60, 200], [130, 210]).map((b) => [b.source, b.target]),
      [
        [[0, 1], [0]],
        [[2], [1]],
      ],
    );
  });

  it('handles empty sides', () => {
    assert.deepEqual(alignByLength([], []), []);
    assert.deepEqual(
      alignByLength([10], []).map((b) => [b.source, b.target]),
      [[[0], []]],
    );
  });

  it('cuts running text into sentences and one-per-line text into lines', () => {
    const text = 'Varón de 37 años. Refiere fiebre de 40 C.\nExploración: sin edemas. ¿Dolor? No.';
    assert.deepEqual(
      sentenceSpans(text).map((s) => text.slice(s.start, s.end)),
      ['Varón de 37 años.', 'Refiere fiebre de 40 C.', 'Exploración: sin edemas.', '¿Dolor?', 'No.'],
    );
    assert.deepEqual(
      lineSpans('a\n\nbc\n').map((s) => [s.start, s.end]),
      [
        [0, 1],
        [3, 5],
      ],
    );
  });

  it('puts each gold code on the English line that translates the sentence of its Spanish evidence', () => {
    const spanish = 'Varón de 37 años con fiebre alta desde hace una semana. Presenta orquiepididimitis derecha dolorosa.';
    const english = '37-year-old man with high fever for a week.\nHe presents painful right orchiepididymitis.\n';
    const c: CodiespCase = {
      id: 'x',
      text: english,
      sentences: [],
      diagnoses: new Set(['R50.9', 'N45.3']),
      procedures: new Set(),
      lang: 'en',
      spanish: {
        text: spanish,
        evidence: [
          { code: 'R50.9', spans: [[21, 27]] },
          { code: 'N45.3', spans: [[65, 82]] },
        ],
      },
    };
    const lines = evidenceLines(c)!;
    assert.deepEqual([...lines.codesAt(0)], ['R50.9']);
    assert.deepEqual([...lines.codesAt(english.indexOf('orchi'))], ['N45.3']);
    assert.deepEqual([...lines.located].sort(), ['N45.3', 'R50.9']);
    const secondLine = [english.indexOf('He'), english.indexOf('.\n', english.indexOf('He')) + 1];
    assert.deepEqual(lines.regionsOf('N45.3'), [secondLine]);
    assert.deepEqual(goldEvidenceRegions(c).get('N45.3'), [secondLine], 'English text: the aligned line');
    assert.deepEqual(goldEvidenceRegions({ ...c, lang: 'es', text: spanish }).get('N45.3'), [[65, 82]], 'Spanish text: the CodiEsp-X span itself');
  });
});
