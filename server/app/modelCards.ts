// The adapter version every ft/ft+rag suggestion records: from the tuned model's card (training/models/<model>/).
import { modelDir, readModelCard } from '../tooling/train/modelCard';

export const adapterVersionOf = (projectRoot: string, model: string): string | undefined => readModelCard(modelDir(projectRoot, model))?.adapterVersion;
