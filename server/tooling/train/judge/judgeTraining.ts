// What `train judge` and `train judge-dataset` both start from: the coding model with its out-of-fold
// probabilities, the coder loaded over the embedded knowledge, and the CodiEsp train documents it learned from in
// `judgeOrder`.
import { codingModelDir, readCodingModel, readOutOfFold } from '../../../app/codingModels';
import { loadLearnedCoder } from '../../../app/coderKnowledge';
import { openSuggesterParts } from '../../../app/openSuggester';
import type { JudgeBlend } from '../../../engine/coder/judgeBlend';
import { ChartcoderError } from '../../../engine/errors';
import type { ChartcoderSettings } from '../../../protocol';
import { defaultCodiespDir, readCodiesp } from '../../evaluate/codiesp';
import { judgeOrder } from './judgeSample';

export async function openJudgeTraining(settings: ChartcoderSettings, root: string, codingModel: string, codiesp: string | undefined) {
  const dir = codingModelDir(root, codingModel);
  const { model, card } = readCodingModel(dir);
  const outOfFold = readOutOfFold(dir, card.version);
  const parts = await openSuggesterParts(settings, { projectRoot: root, backend: 'embedded' });
  const coder = loadLearnedCoder(model, parts.book, parts.coderKnowledge);
  const learned = new Set(card.documents);
  const cases = judgeOrder((await readCodiesp(codiesp ?? defaultCodiespDir(root), settings.cacheDir, 'train')).filter((c) => learned.has(`codiesp:${c.id}`)));
  return { dir, card, outOfFold, parts, coder, cases };
}

/** Uncertain sentences asked per encounter by default, all in one call; candidates shown per sentence. */
export const MAX_SENTENCES = 5;
const MAX_PER_SENTENCE = 4;

/** The judge's shape from the command line: the band of uncertainty (a distance from the threshold in (0, 1)) and
 * the sentences per call. */
export function judgeShape(bandText: string, maxSentences: number): Pick<JudgeBlend, 'band' | 'maxPerSentence' | 'maxSentences'> {
  const band = Number(bandText);
  if (!(band > 0 && band < 1)) throw new ChartcoderError('bad-input', `--band must be between 0 and 1, not ${bandText}`);
  return { band, maxPerSentence: MAX_PER_SENTENCE, maxSentences };
}
