import { loadSettings } from '../../server/config/load';
import type { ChartcoderSettings } from '../../server/protocol';
import { ROOT } from './run';

/** The settings the CLI uses in this checkout: the locally provisioned services. */
export const localSettings = (): ChartcoderSettings => loadSettings({ projectRoot: ROOT });
