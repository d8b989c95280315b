// The bench's bare replay of recorded model calls, against a fake /api/chat that keeps the last prompt as its cache
// and charges a millisecond per character it has not cached.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { replayCalls, sharedPrefixShare, type RecordedCall } from '../../server/tooling/bench/chatReplay';
import type { OllamaSettings } from '../../server/protocol';

interface ChatBody {
  model: string;
  options: { num_thread?: number };
  messages: { role: string; content: string }[];
}

function fakeOllama(): Promise<{ server: Server; bodies: ChatBody[]; host: string }> {
  const bodies: ChatBody[] = [];
  let cached = '';
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as ChatBody;
      bodies.push(body);
      const prompt = body.messages.map((m) => m.content).join('\n');
      let shared = 0;
      while (shared < Math.min(prompt.length, cached.length) && prompt[shared] === cached[shared]) shared++;
      cached = prompt;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          model: body.model,
          created_at: new Date().toISOString(),
          message: { role: 'assistant', content: '"x"' },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: prompt.length,
          prompt_eval_duration: (prompt.length - shared) * 1e6,
          eval_count: 1,
          eval_duration: 1e6,
        }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, bodies, host: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

const INSTRUCTIONS = 'Each numbered sentence below comes from one clinical note. '.repeat(4);
const call = (note: string, threads?: number): RecordedCall => ({
  model: 'chartcoder-encounter',
  request: { system: 'You are a certified medical coder.', user: `${INSTRUCTIONS}\n1. "${note}"`, schema: { type: 'object' } },
  usage: { promptTokens: 100, promptMs: 1, outputTokens: 1, outputMs: 1, ...(threads ? { threads } : {}) },
});

describe('bench suggest: the bare replay of the model calls', () => {
  let fake: Awaited<ReturnType<typeof fakeOllama>>;
  let settings: OllamaSettings;
  beforeEach(async () => {
    fake = await fakeOllama();
    settings = { host: fake.host, requestTimeoutMs: 5_000 } as OllamaSettings;
  });
  afterEach(() => fake.server.close());

  const calls = [call('Chronic heart failure.', 1), call('Type 2 diabetes.', 1), call('Acute cystitis.')];

  it('in order: the engine bodies, each with the thread count its engine call had', async () => {
    const replay = await replayCalls(settings, calls, { clearCache: false });
    assert.equal(fake.bodies.length, 3);
    assert.deepEqual(
      fake.bodies.map((b) => b.options.num_thread),
      [1, 1, undefined],
    );
    assert.deepEqual(
      fake.bodies.map((b) => b.messages[1]!.content),
      calls.map((c) => c.request.user),
    );
    assert.equal(replay.promptMs.length, 3);
    assert.ok(replay.promptMs[1]! < replay.promptMs[0]!, 'the second call reads only what differs from the first');
  });

  it('cache cleared: a call sharing no beginning before each, with the same threads; only the replayed calls are timed', async () => {
    const kept = await replayCalls(settings, calls, { clearCache: false });
    fake.bodies.length = 0;
    const cleared = await replayCalls(settings, calls, { clearCache: true });
    assert.equal(fake.bodies.length, 6);
    const clearing = fake.bodies.filter((_, i) => i % 2 === 0);
    for (const [i, b] of clearing.entries()) {
      assert.equal(b.options.num_thread, calls[i]!.usage?.threads, 'another thread count would reload the model');
      assert.ok(!b.messages[0]!.content.startsWith('You'), 'shares no beginning with a prompt');
    }
    assert.equal(cleared.promptMs.length, 3);
    for (const [i, ms] of cleared.promptMs.entries()) assert.ok(ms >= kept.promptMs[i]!, `call ${i}: ${ms} vs ${kept.promptMs[i]}`);
    assert.ok(cleared.promptMs[1]! > kept.promptMs[1]!, 'the instructions are read again');
  });

  it('the share of each prompt that begins as the previous one did', () => {
    const shares = sharedPrefixShare(calls);
    assert.equal(shares.length, 2);
    for (const share of shares) assert.ok(share > 0.5 && share < 1, String(share));
    assert.deepEqual(sharedPrefixShare([call('a')]), []);
  });
});
