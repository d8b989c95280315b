// The Llm port over Ollama /api/chat with a JSON-schema `format`, temperature 0, and the model digest recorded.
import type { Llm } from '../../engine/ports';
import type { OllamaSettings } from '../../protocol';
import { createOllamaClient } from './client';

export function ollamaLlm(settings: OllamaSettings, model: string): Llm {
  const client = createOllamaClient(settings);
  return {
    async complete(request) {
      const started = Date.now();
      const response = await client.chat({
        model, format: request.schema, stream: false, options: { temperature: 0, num_predict: 256 },
        messages: [{ role: 'system', content: request.system }, { role: 'user', content: request.user }],
      });
      return { content: response.message.content, model: response.model, tookMs: Date.now() - started };
    },
  };
}
