// The append logs behind decisions and the audit trail: no short write acknowledged, a torn tail cut, a store that
// cannot be written opened read-only with the reason, and every acknowledged record there after the disk is freed.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineOf, openAppendLog, type WriteFn } from '../../server/adapters/stores/appendLog';
import { ChartcoderError } from '../../server/engine/errors';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'chartcoder-log-')), 'log.jsonl');
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l.replace(/\t#[0-9a-f]{8}$/, '')) as { i: number });

describe('append log', () => {
  it('a disk that fills mid-burst: the failed record is refused whole, the acknowledged ones all survive a restart', () => {
    const path = fresh();
    let full = false;
    const disk: WriteFn = (fd, buffer, offset, length) => {
      if (!full) return writeSync(fd, buffer, offset, length);
      const half = Math.max(1, Math.floor(length / 2));
      if (offset === 0) return writeSync(fd, buffer, offset, half);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const log = openAppendLog<{ i: number }>(path, disk);
    const acknowledged: number[] = [];
    for (let i = 0; i < 20; i++) {
      if (i === 12) full = true;
      if (i === 16) full = false;
      try {
        log.append({ i });
        acknowledged.push(i);
      } catch (err) {
        assert.ok(err instanceof ChartcoderError && err.reason === 'store-unavailable', String(err));
        assert.match(err.message, /the disk is full, ENOSPC\): the record was not stored/);
        assert.match(log.problem() ?? '', /the disk is full/);
      }
    }
    assert.deepEqual(acknowledged, [...Array(12).keys(), 16, 17, 18, 19]);
    assert.equal(log.problem(), undefined, 'space freed: the store says nothing is wrong');
    log.close();
    assert.deepEqual(
      lines(path).map((r) => r.i),
      acknowledged,
      'every line parses: no torn line, no record glued to one',
    );
    assert.deepEqual(
      openAppendLog<{ i: number }>(path).records.map((r) => r.i),
      acknowledged,
    );
  });

  it('each record carries a checksum: a damaged line is skipped and counted, the others read, older lines without one too', () => {
    const path = fresh();
    const log = openAppendLog<{ i: number; note?: string }>(path);
    for (const i of [1, 2, 3]) log.append({ i, note: 'decided' });
    log.close();
    const [one, two, three] = readFileSync(path, 'utf8').split('\n');
    assert.match(one!, /^\{"i":1,"note":"decided"\}\t#[0-9a-f]{8}$/);
    // One character of the second record changes on disk: its checksum no longer matches, so it is not read as a decision.
    writeFileSync(path, `${one}\n${two!.replace('"i":2', '"i":9')}\n${three}\n{"i":4}\n`);
    const reopened = openAppendLog<{ i: number }>(path);
    assert.deepEqual(
      reopened.records.map((r) => r.i),
      [1, 3, 4],
    );
    assert.equal(reopened.damaged, 1);
    assert.equal(lineOf({ i: 2, note: 'decided' }), `${two}\n`);
  });

  it('a torn last line left by a crash is cut on opening, so the next record starts on its own line', () => {
    const path = fresh();
    writeFileSync(path, '{"i":1}\n{"i":2}\n{"i":');
    const log = openAppendLog<{ i: number }>(path);
    assert.deepEqual(
      log.records.map((r) => r.i),
      [1, 2],
    );
    log.append({ i: 3 });
    log.close();
    assert.deepEqual(
      lines(path).map((r) => r.i),
      [1, 2, 3],
    );
  });

  it('a store that cannot be opened for writing is read-only, says why, and refuses appends; never a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartcoder-log-'));
    appendFileSync(join(dir, 'not-a-folder'), 'x');
    const log = openAppendLog<{ i: number }>(join(dir, 'not-a-folder', 'log.jsonl'));
    assert.match(log.problem() ?? '', /cannot be written/);
    assert.throws(
      () => log.append({ i: 1 }),
      (err: unknown) => err instanceof ChartcoderError && err.reason === 'store-unavailable',
    );
    assert.deepEqual(log.records, []);
  });
});
