import assert from 'node:assert/strict';
import { codeBookOf } from '../../server/engine/suggest/codeBook';
import { completeSeventh, encounterPhaseOf, stemOf } from '../../server/engine/suggest/seventhCharacter';
import { CODE_DOCS } from '../fixtures/knowledge/codeBookDocs';

const book = codeBookOf(2026, CODE_DOCS);
const catalog = book.catalog('icd10cm');
const fracture = book.doc('icd10cm', 'S52.301A')!.seventhCharacters!;
const infection = book.doc('icd10cm', 'T81.40XA')!.seventhCharacters!;

describe('7th characters and placeholder X', () => {
  it('stems drop the 7th character and trailing placeholders; other codes are their own stem', () => {
    assert.equal(stemOf('S52.321A', fracture), 'S52.321');
    assert.equal(stemOf('T81.40XA', infection), 'T81.40');
    assert.equal(stemOf('I50.23', undefined), 'I50.23');
  });

  it('reads the encounter: initial and closed by default, subsequent, sequela, open, nonunion', () => {
    assert.deepEqual(encounterPhaseOf('displaced fracture of shaft of right radius').phase, 'initial');
    assert.equal(encounterPhaseOf('follow-up visit, routine healing').phase, 'subsequent');
    assert.equal(encounterPhaseOf('sequela of old fracture').phase, 'sequela');
    assert.equal(encounterPhaseOf('open fracture of the radius').open, true);
    assert.equal(encounterPhaseOf('fracture with nonunion').healing, 'nonunion');
  });

  it('completes the stem with the fitting character, filling empty places with X', () => {
    assert.equal(completeSeventh('S52.301', fracture, encounterPhaseOf('closed, initial encounter'), catalog)?.code, 'S52.301A');
    assert.equal(completeSeventh('S52.301', fracture, encounterPhaseOf('open fracture, initial encounter'), catalog)?.code, 'S52.301B');
    assert.equal(completeSeventh('S52.301', fracture, encounterPhaseOf('follow-up visit, routine healing'), catalog)?.code, 'S52.301D');
    assert.equal(completeSeventh('S52.301', fracture, encounterPhaseOf('nonunion at follow-up visit'), catalog)?.code, 'S52.301K');
    assert.equal(completeSeventh('T81.40', infection, encounterPhaseOf('wound infection'), catalog)?.code, 'T81.40XA');
  });

  it('never returns a code the code set lacks', () => {
    assert.equal(
      completeSeventh('S52.321', fracture, encounterPhaseOf('follow-up visit'), catalog),
      undefined,
      'no subsequent-encounter code for this stem in the fixture',
    );
    assert.equal(completeSeventh('S52.321', fracture, encounterPhaseOf('sequela'), catalog)?.code, 'S52.321S');
    assert.equal(completeSeventh('S99.999', fracture, encounterPhaseOf(''), catalog), undefined);
  });
});
