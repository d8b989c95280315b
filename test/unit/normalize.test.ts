import assert from 'node:assert/strict';
import { analyzed, expandAbbreviations, normalizeClinicalText } from '../../server/engine/text/normalize';

describe('clinical text normalization', () => {
  it('expands abbreviations and records what it expanded', () => {
    const r = normalizeClinicalText('CHF exacerbation, h/o COPD');
    assert.deepEqual(
      r.expansions.map((e) => e.abbreviation),
      ['chf', 'copd'],
    );
    assert.ok(r.tokens.includes('congest') && r.tokens.includes('heart') && r.tokens.includes('failur'), r.tokens.join(' '));
  });

  it('stems so inflections meet: fractures/fractured and the title form agree', () => {
    assert.equal(analyzed('Fractures of the radius'), analyzed('fracture radius'));
    assert.deepEqual(normalizeClinicalText('diabetic').tokens, normalizeClinicalText('Diabetic').tokens);
  });

  it('folds accents and punctuation, drops stop words, keeps digits', () => {
    assert.equal(analyzed("Ménière's disease, stage 3a"), analyzed('meniere s disease stage 3a'));
    assert.ok(!normalizeClinicalText('the heart of it').tokens.includes('the'));
  });

  it('leaves non-abbreviations alone and yields nothing for empty text', () => {
    assert.deepEqual(normalizeClinicalText('').tokens, []);
    assert.deepEqual(normalizeClinicalText('dyspnea').expansions, []);
  });
});

describe('abbreviation expansion for the embedding model', () => {
  it('replaces whole-word abbreviations, case-insensitively, and leaves other words alone', () => {
    assert.equal(expandAbbreviations('CHF exacerbation, hx of DM2; chfx'), 'congestive heart failure exacerbation, hx of type 2 diabetes mellitus; chfx');
  });
});
