// The LSP boundary's one mapping from error reasons to JSON-RPC errors: the message is what the editor shows.
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { ChartcoderError, describeError, type ErrorReason } from '../engine/errors';

export const RESPONSE_ERROR_CODES: Record<ErrorReason, number> = {
  'bad-input': ErrorCodes.InvalidParams,
  'not-found': ErrorCodes.InvalidParams,
  'query-invalid': ErrorCodes.InvalidParams,
  conflict: ErrorCodes.InvalidParams,
  'too-large': ErrorCodes.InvalidParams,
  'model-missing': LSPErrorCodes.RequestFailed,
  'store-unavailable': LSPErrorCodes.RequestFailed,
  unauthorized: LSPErrorCodes.RequestFailed,
  'service-unavailable': LSPErrorCodes.RequestFailed,
  'index-missing': LSPErrorCodes.RequestFailed,
  'config-invalid': LSPErrorCodes.RequestFailed,
  'config-unreadable': LSPErrorCodes.RequestFailed,
  'provision-failed': LSPErrorCodes.RequestFailed,
  'data-unreadable': LSPErrorCodes.RequestFailed,
};

export function responseError(err: unknown): ResponseError<void> {
  return new ResponseError(err instanceof ChartcoderError ? RESPONSE_ERROR_CODES[err.reason] : ErrorCodes.InternalError, describeError(err));
}

/** A request handler whose failures reach the client as a ResponseError with a message it can show. */
export const answering =
  <P, R>(handler: (params: P) => R | Promise<R>) =>
  async (params: P): Promise<R | ResponseError<void>> => {
    try {
      return await handler(params);
    } catch (err) {
      return responseError(err);
    }
  };
