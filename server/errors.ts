export { ChartcoderError, describeError, type ErrorReason } from './engine/errors';
