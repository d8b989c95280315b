// The model as the coding model's judge, against the real Ollama: the train-only coding model with its committed
// blend for the tuned model (fitted on CodiEsp train), on CodiEsp train documents only.
import assert from 'node:assert/strict';
import { encounterOfNote } from '../../fhir';
import { codingModelDir, readCodingModel, readOutOfFold, TRAIN_ONLY_CODING_MODEL } from '../../server/app/codingModels';
import { loadLearnedCoder } from '../../server/app/coderKnowledge';
import { openSuggester, type OpenedSuggester as Suggester } from '../../server/app/openSuggester';
import { ollamaLlm } from '../../server/adapters/ollama/chatLlm';
import { processEncounter } from '../../server/engine/encounter/processEncounter';
import { finalResult } from '../../server/engine/suggest/suggestEncounter';
import { defaultCodiespDir, readCodiesp, type CodiespCase } from '../../server/tooling/evaluate/codiesp';
import { judgeExample, noJudgeExamples } from '../../server/tooling/train/judge/judgeExamples';
import { judgeRows } from '../../server/tooling/train/judge/judgeRows';
import type { ChartcoderSettings } from '../../server/protocol';
import type { Llm } from '../../server/engine/ports';
import { ollamaCpuSince, secondsUntilQuiet } from '../helpers/ollamaCpu';
import { ROOT } from '../helpers/run';
import { localSettings } from '../helpers/settings';
import { sharedParts } from '../helpers/suggesters';

describe("the model as the coding model's judge (ft+rag, real Ollama)", function () {
  this.timeout(900_000);
  let settings: ChartcoderSettings;
  let suggester: Suggester;
  let train: CodiespCase[];

  before(async () => {
    settings = localSettings();
    suggester = await openSuggester(settings, { projectRoot: ROOT, codingModel: TRAIN_ONLY_CODING_MODEL, parts: await sharedParts('embedded') });
    train = (await readCodiesp(defaultCodiespDir(ROOT), settings.cacheDir, 'train')).slice(0, 2);
  });

  it('asks about the uncertain candidates of 2 training documents as inference does, in one call each: every judged row has the lift, the call its usage', async () => {
    const dir = codingModelDir(ROOT, TRAIN_ONLY_CODING_MODEL);
    const { model, card } = readCodingModel(dir);
    const outOfFold = readOutOfFold(dir, card.version);
    const parts = await sharedParts('embedded');
    const coder = loadLearnedCoder(model, parts.book, parts.coderKnowledge);
    const llm = ollamaLlm(settings.ollama, settings.ollama.tunedModel);
    let judged = 0;
    for (const c of train) {
      const rows = await judgeRows({
        id: `codiesp:${c.id}`,
        encounter: processEncounter(encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }), parts.lexicon),
        gold: { icd10cm: c.diagnoses, icd10pcs: c.procedures },
        outOfFold,
        coder,
        book: parts.book,
        llm,
        blend: { band: 0.15, maxPerSentence: 4, maxSentences: 3 },
        timeoutMs: 300_000,
      });
      assert.ok(rows.rows.length > 0, 'the coder found candidates');
      const call = rows.call;
      if (call) {
        assert.ok(call.sentences >= 1 && call.sentences <= 3, JSON.stringify(call));
        assert.equal(call.failure, undefined);
        assert.ok(call.usage && call.usage.promptTokens > 0 && call.usage.outputTokens > 0, JSON.stringify(call));
      }
      const withLift = rows.rows.filter((r) => r.lift !== undefined);
      for (const r of withLift) assert.ok(Number.isFinite(r.lift) && r.p >= r.threshold - 0.15 - 1e-9, JSON.stringify(r));
      judged += withLift.length;
    }
    assert.ok(judged > 0, 'some candidate was judged');
  });

  it("the adapter's examples for 2 training documents: the inference prompt, and a letter per sentence that names a gold candidate or N", async () => {
    const dir = codingModelDir(ROOT, TRAIN_ONLY_CODING_MODEL);
    const { model, card } = readCodingModel(dir);
    const parts = await sharedParts('embedded');
    const coder = loadLearnedCoder(model, parts.book, parts.coderKnowledge);
    const counts = noJudgeExamples();
    for (const c of train) {
      const id = `codiesp:${c.id}`;
      const gold = { icd10cm: c.diagnoses, icd10pcs: c.procedures };
      const example = judgeExample(
        {
          id,
          encounter: processEncounter(encounterOfNote({ name: id, text: c.text }), parts.lexicon),
          coder,
          book: parts.book,
          outOfFold: readOutOfFold(dir, card.version),
          gold,
          shape: { band: 0.15, maxPerSentence: 4, maxSentences: 5 },
        },
        counts,
      );
      if (!example) continue;
      const properties = (example.schema as { properties: Record<string, { enum: string[] }> }).properties;
      assert.deepEqual(Object.keys(example.target), Object.keys(properties));
      for (const [key, letter] of Object.entries(example.target)) {
        assert.ok(properties[key]!.enum.includes(letter), `${key}: ${letter}`);
        if (letter === 'N') continue;
        const block = example.user.split(/\n(?=\d+\. ")/).find((b) => b.startsWith(`${key}. "`))!;
        const code = new RegExp(`^ {3}${letter}\\. ICD-10-(?:CM|PCS) (\\S+)`, 'm').exec(block)![1]!;
        assert.ok(gold.icd10cm.has(code) || gold.icd10pcs.has(code), `${key}: ${letter} ${code}`);
      }
    }
    assert.equal(counts.documents, 2);
    assert.ok(counts.sentences > 0 && counts.goldLetter > 0, JSON.stringify(counts));
  });

  it("codes a training note in ft+rag through the judge: judged suggestions name the model, the adapter and the ranker's change", async () => {
    const c = train[0]!;
    const result = await finalResult(suggester.suggest(encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }), { mode: 'ft+rag' }));
    assert.equal(result.mode, 'ft+rag');
    assert.ok(!result.degradations.some((d) => /per-mention/.test(d)), result.degradations.join(' | '));
    assert.ok(result.stats.modelCalls > 0, 'the model was asked');
    assert.equal(result.stats.modelFailures, 0, result.degradations.join(' | '));
    for (const s of result.suggestions) assert.ok(s.provenance.codingModel?.startsWith(`${TRAIN_ONLY_CODING_MODEL}+`));
    const judged = result.suggestions.filter((s) => s.provenance.model);
    for (const s of judged) {
      assert.ok(s.provenance.model!.startsWith(settings.ollama.tunedModel), s.provenance.model);
      assert.ok(s.provenance.adapterVersion, 'the adapter version from its card');
      assert.match(s.rationale, /Judged by .* among the \d+ options of its sentence; ranker \d\.\d\d → \d\.\d\d\./);
    }
  });

  it('cancelled mid-judgement: the result comes back with the reason, and Ollama is left no work', async () => {
    const c = train[1]!;
    const controller = new AbortController();
    const during = ollamaCpuSince();
    setTimeout(() => controller.abort(new Error('the coder closed the encounter')), 1500);
    const result = await finalResult(
      suggester.suggest(encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }), { mode: 'ft+rag', signal: controller.signal }),
    );
    assert.ok(during() > 0.2, 'the model was working when the request was cancelled');
    assert.ok(result.suggestions.length > 0, 'the coder still codes the note');
    assert.ok(
      result.degradations.some((d) => /closed the encounter|not asked/.test(d)),
      result.degradations.join(' | '),
    );
    const quietAfter = await secondsUntilQuiet(30);
    assert.ok(quietAfter !== undefined, 'Ollama was still working 30 s after the result');
  });

  // Last: it leaves the second note's prompt in Ollama's cache, which would let the cancelled call above finish early.
  it('a suggester opens its model once for all its notes, so the thread choice learns across them; each call says its load time', async () => {
    let opened = 0;
    const loads: number[] = [];
    const wrapLlm = (llm: Llm): Llm => {
      opened++;
      return {
        model: llm.model,
        complete: async (request, signal) => {
          const answer = await llm.complete(request, signal);
          loads.push(answer.usage?.loadMs ?? Number.NaN);
          return answer;
        },
      };
    };
    const own = await openSuggester(settings, { projectRoot: ROOT, codingModel: TRAIN_ONLY_CODING_MODEL, parts: await sharedParts('embedded'), wrapLlm });
    for (const c of train) await finalResult(own.suggest(encounterOfNote({ name: `codiesp:${c.id}`, text: c.text }), { mode: 'ft+rag' }));
    assert.equal(opened, 1, 'one model for both notes');
    assert.equal(loads.length, 2, 'one call per note');
    for (const ms of loads) assert.ok(ms >= 0, `load time ${ms}`);
  });
});
