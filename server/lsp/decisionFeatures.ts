// What coders and CDI specialists decide in the editor: a decision on a suggestion (accept, reject, replace) and a
// suggestion added to the encounter's CDI query, each recorded durably and reflected at once.
import { ChartcoderError } from '../engine/errors';
import { Commands, Methods, type CdiQuery, type CdiQueryParams, type Decision } from '../protocol';
import { cdiQueryOf, draftQueryItem } from './cdiQueryDraft';
import { parseCdiQueryRequest, parseDecisionRequest } from './requests';
import { answering } from './responseErrors';
import type { Session } from './session';

export function registerDecisionFeatures(session: Session): void {
  const { connection, deps, analyzer } = session;
  const suggestionIn = (uri: string, suggestionId: string) => {
    const analysis = analyzer.latest(uri);
    const suggestion = analysis?.suggestions.find((s) => s.id === suggestionId);
    if (!analysis || !suggestion) throw new ChartcoderError('not-found', `no suggestion ${suggestionId} in ${uri}`);
    return { subject: analysis.encounter.subject, suggestion };
  };
  const record = (raw: unknown): Decision => {
    const request = parseDecisionRequest(raw);
    const { subject, suggestion } = suggestionIn(request.uri, request.suggestionId);
    const decision = deps.app.decisions.record({
      subject,
      suggestionId: request.suggestionId,
      action: request.action,
      user: deps.user,
      time: new Date().toISOString(),
      provenance: { ...suggestion.provenance, code: suggestion.code },
      ...(request.replacementCode ? { replacementCode: request.replacementCode } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
    });
    session.publish(request.uri);
    return decision;
  };
  const cdiQueryFor = (uri: string): CdiQuery => cdiQueryOf(session.subjectOf(uri), deps.app.cdiQueries.forSubject(session.subjectOf(uri)));
  const addToCdiQuery = (raw: unknown): CdiQuery => {
    const request = parseCdiQueryRequest(raw);
    const { subject, suggestion } = suggestionIn(request.uri, request.suggestionId);
    deps.app.cdiQueries.add({ ...draftQueryItem(suggestion), subject, user: deps.user, time: new Date().toISOString() });
    const query = cdiQueryFor(request.uri);
    void connection.sendNotification(Methods.cdiQueryChanged, query);
    return query;
  };
  connection.onRequest(Methods.recordDecision, answering(record));
  connection.onExecuteCommand(
    answering((params: { command: string; arguments?: unknown[] }) => {
      if (params.command === Commands.recordDecision) return record(params.arguments?.[0]);
      if (params.command === Commands.addToCdiQuery) return addToCdiQuery(params.arguments?.[0]);
      throw new ChartcoderError('bad-input', `unknown command ${params.command}`);
    }),
  );
  connection.onRequest(Methods.cdiQuery, (params: CdiQueryParams) => cdiQueryFor(params.uri));
}
