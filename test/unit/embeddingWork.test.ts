// What a cold index build embeds (one vector per 7th-character family) and how it picks Ollama's thread count.
import assert from 'node:assert/strict';
import { createThreadChoice, isLoopbackHost, machineBusy, type Threads } from '../../server/adapters/ollama/threadChoice';
import { vectorTexts } from '../../server/engine/retrieve/embeddingText';
import type { KnowledgeDoc } from '../../server/engine/retrieve/knowledgeDoc';

const SEVENTH = [
  { char: 'A', meaning: 'initial encounter for closed fracture' },
  { char: 'D', meaning: 'subsequent encounter for fracture with routine healing' },
  { char: 'S', meaning: 'sequela' },
];

function codeDoc(code: string, title: string, extra: Partial<KnowledgeDoc> = {}): KnowledgeDoc {
  return {
    id: `icd10cm:2026:code:${code}`,
    kind: 'code',
    system: 'icd10cm',
    systemUri: 'http://hl7.org/fhir/sid/icd-10-cm',
    fy: 2026,
    title,
    text: title,
    code,
    codes: [code],
    billable: true,
    source: { file: 'order.txt' },
    ...extra,
  };
}

describe('vector texts', () => {
  it('one vector per 7th-character family, its text without the encounter phrase', () => {
    const docs = [
      codeDoc('S52.301A', 'Unspecified fracture of shaft of right radius, initial encounter for closed fracture', { seventhCharacters: SEVENTH }),
      codeDoc('S52.301D', 'Unspecified fracture of shaft of right radius, subsequent encounter for closed fracture with routine healing', {
        seventhCharacters: SEVENTH,
      }),
      codeDoc('S52.301S', 'Unspecified fracture of shaft of right radius, sequela', { seventhCharacters: SEVENTH }),
      codeDoc('S52.302A', 'Unspecified fracture of shaft of left radius, initial encounter for closed fracture', { seventhCharacters: SEVENTH }),
      codeDoc('I50.23', 'Acute on chronic systolic (congestive) heart failure'),
      codeDoc('I50', 'Heart failure', { billable: false }),
      codeDoc('I50.2', 'Systolic (congestive) heart failure', { billable: false }),
    ];
    assert.deepEqual(
      [...vectorTexts(docs)],
      [
        ['icd10cm:2026:code:S52.301A', 'Unspecified fracture of shaft of right radius'],
        ['icd10cm:2026:code:S52.302A', 'Unspecified fracture of shaft of left radius'],
        ['icd10cm:2026:code:I50.23', 'Acute on chronic systolic (congestive) heart failure'],
        ['icd10cm:2026:code:I50', 'Heart failure'],
      ],
    );
  });

  it('a 7th character that is not an encounter (a coma scale time) keeps its title', () => {
    const coma = [{ char: '0', meaning: 'unspecified time' }];
    const docs = [codeDoc('R40.2110', 'Coma scale, eyes open, never, unspecified time', { seventhCharacters: coma })];
    assert.deepEqual([...vectorTexts(docs).values()], ['Coma scale, eyes open, never, unspecified time']);
  });
});

describe('Ollama thread choice (index builds, model calls)', () => {
  /** Drives the choice with a speed per thread count (texts per second) and returns what it used, call by call. */
  function drive(speed: (threads: Threads, call: number) => number, calls: number, cpus = 2, busy = false): Threads[] {
    const choice = createThreadChoice(cpus, busy);
    const used: Threads[] = [];
    for (let call = 0; call < calls; call++) {
      const { threads } = choice.next();
      used.push(threads);
      choice.record(threads, 100, (100 / speed(threads, call)) * 1000);
    }
    return used;
  }
  const share = (used: Threads[], threads: Threads) => used.filter((t) => t === threads).length / used.length;

  it('beside a CPU-bound process, settles on one thread when the default stalls', () => {
    const used = drive((threads) => (threads === 1 ? 90 : 5), 200);
    assert.equal(used[0], undefined, "it starts with Ollama's default");
    assert.equal(used[1], 1, 'and measures one thread next');
    assert.ok(share(used, 1) > 0.9, `one thread used ${share(used, 1)}`);
  });

  it('a lucky fast call with the stalling default costs one slow call, not a run of them', () => {
    const used = drive((threads, call) => (threads === 1 ? 90 : call % 3 === 0 ? 107 : 5), 300);
    assert.ok(share(used, 1) > 0.9, `one thread used ${share(used, 1)}`);
  });

  it('on an idle machine keeps the faster default', () => {
    const used = drive((threads) => (threads === 1 ? 84 : 100), 200);
    assert.ok(share(used, undefined) > 0.9, `default used ${share(used, undefined)}`);
  });

  it('follows the machine when the load comes and goes', () => {
    const busy = (call: number) => call >= 100 && call < 300;
    const used = drive((threads, call) => (threads === 1 ? 85 : busy(call) ? 5 : 100), 500);
    assert.ok(share(used.slice(150, 300), 1) > 0.9, 'one thread while the machine is busy');
    assert.ok(share(used.slice(300 + 64 + 1), undefined) > 0.9, 'the default again within the longest probe gap once it is idle');
  });

  it('a machine busy at the start begins with one thread and tries the default only later', () => {
    const used = drive((threads) => (threads === 1 ? 90 : 5), 40, 2, true);
    assert.deepEqual(used.slice(0, 8), [1, 1, 1, 1, 1, 1, 1, 1], 'no stalled call up front');
    assert.equal(used.filter((t) => t === undefined).length, 2, 'the default is re-measured rarely while it loses');
    assert.ok(machineBusy(2.1, 2) && !machineBusy(0.4, 2));
  });

  it('a call that failed or was given up counts as no speed', () => {
    const choice = createThreadChoice(2);
    choice.record(undefined, 100, 1_000);
    choice.next();
    choice.record(1, 50, 1_000);
    assert.equal(choice.next().threads, undefined);
    choice.record(undefined, 0, 120_000);
    assert.equal(choice.next().threads, 1, 'after a stalled call it moves to one thread');
  });

  it('the steady choice is the one in use, whatever a probe would try next', () => {
    assert.equal(createThreadChoice(2, true).steady(), 1, 'a busy machine starts on one thread');
    const choice = createThreadChoice(2);
    choice.record(undefined, 90, 1_000);
    assert.deepEqual(choice.next(), { threads: 1, probe: true });
    assert.equal(choice.steady(), undefined, 'a deferred probe keeps the threads, so Ollama keeps its prompt cache');
  });

  it('only an Ollama on this machine gets a thread choice', () => {
    assert.ok(isLoopbackHost('http://127.0.0.1:11500') && isLoopbackHost('http://localhost:11434'));
    assert.ok(!isLoopbackHost('http://gpu-server.internal:11434') && !isLoopbackHost('not a url'));
  });

  it('a single core has nothing to choose', () => {
    assert.deepEqual(new Set(drive(() => 50, 20, 1)), new Set([undefined]));
  });
});
