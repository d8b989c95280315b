// One greedy step through Ollama on a raw prompt (no template applied): the token it would emit next. Used to replay
// a reference decoding path token by token (teacher forcing). Greedy means the argmax: Ollama's default repeat
// penalty (1.1) would otherwise demote a token that already occurs in the prompt — a code digit, say.
import type { Ollama } from 'ollama';
import { ChartcoderError } from '../../engine/errors';

export async function nextToken(client: Ollama, model: string, rawPrompt: string): Promise<string> {
  const answer = await client.generate({
    model,
    prompt: rawPrompt,
    raw: true,
    stream: false,
    logprobs: true,
    top_logprobs: 1,
    options: { num_predict: 1, temperature: 0, repeat_penalty: 1 },
  });
  const token = answer.logprobs?.[0]?.token;
  if (token === undefined) {
    if (answer.done_reason === 'stop' || answer.response === '') return '';
    throw new ChartcoderError('service-unavailable', `Ollama returned no token logprobs for ${model} (is it older than 0.12?)`);
  }
  return token;
}
