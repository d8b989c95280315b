export { ChartcoderError, describeError, ERROR_REASONS, type ErrorReason } from './engine/errors';
