// The CLI boundary's one mapping from error reasons to exit codes: 2 for what the user can fix in the command or the
// configuration, 1 for a service, a store or the data failing. The message is the error's own one line.
import type { ErrorReason } from '../../engine/errors';

export const EXIT_CODES: Readonly<Record<ErrorReason, 1 | 2>> = {
  'config-invalid': 2,
  'config-unreadable': 2,
  'bad-input': 2,
  'query-invalid': 2,
  'not-found': 2,
  'too-large': 2,
  conflict: 2,
  'model-missing': 2,
  unauthorized: 1,
  'service-unavailable': 1,
  'provision-failed': 1,
  'index-missing': 1,
  'data-unreadable': 1,
  'store-unavailable': 1,
};
