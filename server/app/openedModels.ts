// A suggester's models, opened on first use and kept while Ollama serves the same weights: the thread choice learns
// across notes, and a note never reloads the model with another thread count than the note before it. A model
// Ollama now serves with another digest (re-imported by `train lora`) is opened again, so provenance names it.
import type { Llm } from '../engine/ports';

export type OpenedModels = (model: string, digest: string) => Llm;

export function openedModels(open: (model: string) => Llm): OpenedModels {
  const opened = new Map<string, { readonly digest: string; readonly llm: Llm }>();
  return (model, digest) => {
    const kept = opened.get(model);
    if (kept?.digest === digest) return kept.llm;
    const llm = open(model);
    opened.set(model, { digest, llm });
    return llm;
  };
}
