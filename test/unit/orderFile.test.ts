import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dottedIcd10cm, parseOrderFile } from '../../server/knowledge/orderFile';
import { ROOT } from '../helpers/run';

const line = (order: string, code: string, flag: string, short: string, long = short) => `${order} ${code.padEnd(7)} ${flag} ${short.padEnd(60)} ${long}\r`;

describe('order file loader', () => {
  it('parses the fixed layout, dots CM codes and keeps the billable flag', () => {
    const text = [
      line('00001', 'I50', '0', 'Heart failure'),
      line('00002', 'I5023', '1', 'Acute on chronic systolic hrt fail', 'Acute on chronic systolic (congestive) heart failure'),
    ].join('\n');
    const { items, problems } = parseOrderFile(text, 'synthetic.txt', 'icd10cm');
    assert.deepEqual(problems, []);
    assert.deepEqual(items[1], {
      order: 2,
      code: 'I50.23',
      billable: true,
      shortTitle: 'Acute on chronic systolic hrt fail',
      longTitle: 'Acute on chronic systolic (congestive) heart failure',
    });
    assert.equal(items[0]?.billable, false);
  });

  it('reports malformed rows with file and line, and skips only them', () => {
    const text = [
      line('00001', 'A00', '0', 'Cholera'),
      'garbage',
      line('0000x', 'A001', '1', 'Cholera x'),
      line('00004', 'a001', '1', 'lower'),
      line('00005', 'A002', '7', 'flag'),
      line('00006', 'A003', '1', 'Fine'),
    ].join('\n');
    const { items, problems } = parseOrderFile(text, 'bad.txt', 'icd10cm');
    assert.deepEqual(
      items.map((i) => i.code),
      ['A00', 'A00.3'],
    );
    assert.deepEqual(
      problems.map((p) => [p.file, p.line]),
      [
        ['bad.txt', 2],
        ['bad.txt', 3],
        ['bad.txt', 4],
        ['bad.txt', 5],
      ],
    );
    assert.match(problems[0]?.reason ?? '', /shorter than the fixed layout/);
    assert.match(problems[3]?.reason ?? '', /valid flag "7"/);
  });

  it('reads PCS codes undotted', () => {
    const { items } = parseOrderFile(line('00001', '0016070', '1', 'Bypass Cereb Vent to Nasophar w Autol Sub, Open'), 'pcs.txt', 'icd10pcs');
    assert.equal(items[0]?.code, '0016070');
  });

  it('dots only past the category', () => {
    assert.equal(dottedIcd10cm('E11'), 'E11');
    assert.equal(dottedIcd10cm('S52321A'), 'S52.321A');
  });

  it('loads the whole FY2026 ICD-10-CM order file with no problem rows', () => {
    const text = gunzipSync(readFileSync(join(ROOT, '..', 'shared', 'data', 'icd10cm', 'fy2026', 'icd10cm-order-2026.txt.gz'))).toString('latin1');
    const { items, problems } = parseOrderFile(text, 'icd10cm-order-2026.txt', 'icd10cm');
    assert.deepEqual(problems, []);
    assert.equal(items.length, 98_186);
    assert.equal(items.filter((i) => i.billable).length, 74_719);
    assert.equal(items.find((i) => i.code === 'I50.23')?.longTitle, 'Acute on chronic systolic (congestive) heart failure');
    assert.equal(items.find((i) => i.code === 'E11.22')?.billable, true);
  });
});
