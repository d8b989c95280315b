// Model cards of tuned models (written by `chartcoder train`): the adapter version every ft/ft+rag suggestion
// records. A card lives at training/models/<model>/card.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const modelCardPath = (projectRoot: string, model: string): string => join(projectRoot, 'training', 'models', model, 'card.json');

export function adapterVersionOf(projectRoot: string, model: string): string | undefined {
  const path = modelCardPath(projectRoot, model);
  if (!existsSync(path)) return undefined;
  const card = JSON.parse(readFileSync(path, 'utf8')) as { adapterVersion?: unknown };
  return typeof card.adapterVersion === 'string' ? card.adapterVersion : undefined;
}
