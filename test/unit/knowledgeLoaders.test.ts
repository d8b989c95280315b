import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCptFile } from '../../server/knowledge/cpt';
import { splitGuidelineSections } from '../../server/knowledge/guidelineSections';
import { parseHcpcs } from '../../server/knowledge/hcpcs';
import { parseIndexCsv } from '../../server/knowledge/indexCsv';
import { parseIndexXml } from '../../server/knowledge/indexXml';
import { parsePoaExempt } from '../../server/knowledge/poaExempt';
import { inheritedNotes, inheritedSeventhCharacters, parseTabular } from '../../server/knowledge/tabular';
import { ROOT } from '../helpers/run';

const TABULAR = `<?xml version="1.0"?>
<ICD10CM.tabular><version>2026</version>
<chapter><name>9</name><desc>Diseases of the circulatory system (I00-I99)</desc>
<section id="I30-I5A"><desc>Other forms of heart disease (I30-I5A)</desc>
<diag><name>I50</name><desc>Heart failure</desc>
  <codeFirst><note>heart failure due to hypertension (I11.0)</note></codeFirst>
  <diag><name>I50.2</name><desc>Systolic (congestive) heart failure</desc>
    <inclusionTerm><note>Heart failure with reduced ejection fraction [HFrEF]</note></inclusionTerm>
    <excludes1><note>combined systolic and diastolic heart failure (I50.4-)</note></excludes1>
    <diag><name>I50.23</name><desc>Acute on chronic systolic (congestive) heart failure</desc></diag>
  </diag>
</diag>
<diag><name>S72</name><desc>Fracture of femur</desc>
  <sevenChrDef><extension char="A">initial encounter for closed fracture</extension><extension char="D">subsequent encounter</extension></sevenChrDef>
  <diag><name>S72.0</name><desc>Fracture of head and neck of femur</desc></diag>
</diag>
</section></chapter></ICD10CM.tabular>`;

describe('knowledge loaders', () => {
  it('tabular XML: codes with chapter, section and parent; notes inherited down the tree; 7th characters from an ancestor', () => {
    const { items, problems } = parseTabular(TABULAR, 'tabular.xml');
    assert.deepEqual(problems, []);
    const byCode = new Map(items.map((e) => [e.code, e]));
    assert.deepEqual(
      items.map((e) => e.code),
      ['I50', 'I50.2', 'I50.23', 'S72', 'S72.0'],
    );
    assert.deepEqual(
      { chapter: byCode.get('I50.23')?.chapter, section: byCode.get('I50.23')?.section, parent: byCode.get('I50.23')?.parent },
      { chapter: '9', section: 'I30-I5A', parent: 'I50.2' },
    );
    assert.deepEqual(
      inheritedNotes('I50.23', byCode).map((n) => `${n.from} ${n.note.kind}`),
      ['I50.2 inclusionTerm', 'I50.2 excludes1', 'I50 codeFirst'],
    );
    assert.deepEqual(
      inheritedSeventhCharacters('S72.001A', byCode).map((s) => s.char),
      ['A', 'D'],
    );
  });

  it('tabular XML: malformed XML is reported with its line and what parsed before it is kept', () => {
    const broken = TABULAR.replace('<diag><name>S72</name>', '<diag><name>S72</nam>');
    const { items, problems } = parseTabular(broken, 'broken.xml');
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]?.file, 'broken.xml');
    assert.equal(problems[0]?.line, 13);
    assert.ok(items.some((e) => e.code === 'I50.23'));
  });

  it('index CSV: rebuilds the main-term/subterm path from levels; bad rows are reported with their line', () => {
    const csv = [
      'RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code',
      '1,F,0,"Failure, failed",,,,',
      '2,F,1,heart,,,(acute) (senile),I50.9',
      '3,F,1,"Note: stages are not NYHA classes",,,,',
      '4,F,2,systolic,,,(congestive),I50.20',
      '5,F,3,acute,,,,I50.21',
      '6,F,4,and,,,(on) chronic,I50.23',
      '7,F,9,orphan,,,,I50.9',
      '8,F,1,cardiac,"Failure, heart",,,',
      '9,F,1,weird,,,,NOTACODE',
    ].join('\n');
    const { items, problems } = parseIndexCsv(csv, 'index.csv');
    assert.deepEqual(items.find((e) => e.code === 'I50.23')?.path, ['Failure, failed', 'heart', 'systolic', 'acute', 'and']);
    assert.equal(items.find((e) => e.code === 'I50.23')?.nonEssential, '(on) chronic');
    assert.equal(items.find((e) => e.path.at(-1) === 'cardiac')?.see, 'Failure, heart');
    assert.deepEqual(
      problems.map((p) => [p.line, p.reason.slice(0, 9)]),
      [
        [8, 'bad level'],
        [10, '"NOTACODE'],
      ],
    );
  });

  it('index CSV: a file without the expected header is refused with line 1', () => {
    assert.deepEqual(
      parseIndexCsv('a,b\n1,2', 'x.csv').problems.map((p) => p.line),
      [1],
    );
  });

  it('table XML: neoplasm rows keep their columns, non-essential modifiers leave the path', () => {
    const xml = `<ICD10CM.index><indexHeading><head col="1">Neoplasm</head><head col="2">Malignant Primary</head><head col="3">Malignant Secondary</head></indexHeading>
<letter><title>N</title><mainTerm><title>Neoplasm, neoplastic</title><cell col="2">C80.1</cell><cell col="3">C79.9</cell>
<term level="1"><title>lung<nemod>(lobe)</nemod></title><cell col="2">C34.9-</cell><cell col="3">--</cell></term></mainTerm></letter></ICD10CM.index>`;
    const { items, headings, problems } = parseIndexXml(xml, 'neoplasm.xml');
    assert.deepEqual(problems, []);
    assert.deepEqual(headings, ['Malignant Primary', 'Malignant Secondary']);
    assert.deepEqual(items[1], {
      path: ['Neoplasm, neoplastic', 'lung'],
      nonEssential: '(lobe)',
      cells: [{ heading: 'Malignant Primary', code: 'C34.9-' }],
      line: 3,
    });
  });

  it('guidelines: sections follow the printed numbering; a body line starting "2." out of sequence stays body text', () => {
    const pages = [
      { page: 2, lines: ['Section I. Conventions ........ 7'] },
      {
        page: 50,
        lines: [
          'Section I. Conventions',
          'A. Conventions',
          'B. General',
          'C. Chapter-Specific Coding Guidelines',
          '1. Chapter 1: Infections',
          'a. HIV',
          'Body text.',
          '2. Chapter 2: Neoplasms',
          'a. Treatment',
          '1) Primary',
          'Patients with',
          '5. this line is body text, out of sequence',
          '(a) Sub point',
          '(i) roman',
          '(ii) roman two',
          'b. Next',
        ],
      },
    ];
    const sections = splitGuidelineSections(pages);
    assert.deepEqual(
      sections.map((s) => s.section),
      ['I', 'I.A', 'I.B', 'I.C', 'I.C.1', 'I.C.1.a', 'I.C.2', 'I.C.2.a', 'I.C.2.a.1', 'I.C.2.a.1.(a)', 'I.C.2.a.1.(a).(i)', 'I.C.2.a.1.(a).(ii)', 'I.C.2.b'],
    );
    assert.match(sections.find((s) => s.section === 'I.C.2.a.1')!.text, /5\. this line is body text/);
    assert.equal(sections[0]?.page, 50);
  });

  it('HCPCS: joins continuation lines, keeps terminated codes flagged, reports bad codes with their line', () => {
    const row = (code: string, id: string, long: string, short = '', term = '') =>
      `${code}00100${id}${long.padEnd(80)}${short.padEnd(28)}`.padEnd(284) + term.padEnd(8) + '\r';
    const text = [
      row('A0021', '3', 'Ambulance service, outside state per mile,', 'Outside state ambulance serv'),
      row('A0021', '4', 'transport (medicaid only)'),
      row('A0999', '3', 'Unlisted ambulance service', 'Unlisted ambulance service', '20190101'),
      row('a1234', '3', 'bad'),
    ].join('\n');
    const { items, problems } = parseHcpcs(text, 'hcpcs.txt');
    assert.equal(items[0]?.longTitle, 'Ambulance service, outside state per mile, transport (medicaid only)');
    assert.equal(items[1]?.terminated, '20190101');
    assert.deepEqual(
      problems.map((p) => p.line),
      [4],
    );
  });

  it('CPT: reads a user-supplied licensed file (here an obviously synthetic fixture) and reports bad rows', () => {
    const file = join(ROOT, 'test/fixtures/knowledge/synthetic-cpt.csv');
    const { items, problems } = parseCptFile(readFileSync(file, 'utf8'), 'synthetic-cpt.csv');
    assert.deepEqual(
      items.map((i) => i.code),
      ['99991', '99992', '0001F'],
    );
    assert.deepEqual(
      problems.map((p) => p.line),
      [5, 6],
    );
    assert.deepEqual(
      parseCptFile('foo,bar\n1,2', 'x.csv').problems.map((p) => p.reason.slice(0, 10)),
      ['the header'],
    );
  });

  it('POA-exempt list: dotted codes, bad rows reported', () => {
    const { items, problems } = parsePoaExempt('Order26\tPOAexemptCode\tDescription\r\n01238\tB900\tSequelae\r\n01239\t??\tx\r\n', 'poa.txt');
    assert.deepEqual(items, ['B90.0']);
    assert.deepEqual(
      problems.map((p) => p.line),
      [3],
    );
  });
});
