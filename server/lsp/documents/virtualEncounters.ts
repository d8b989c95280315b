// `chartcoder:` documents: one read-only document per encounter, read from the configured FHIR server
// (chartcoder:/Encounter/<id>) or from a Bundle file (chartcoder:/Encounter/<id>?bundle=<path>). The server renders
// the text the editor shows and keeps each rendering, so evidence maps back to the document it answered.
import type { EncounterView } from '../../../fhir';
import { ChartcoderError } from '../../engine/errors';
import type { EncounterLoader } from '../../app/ports';
import { URI } from 'vscode-uri';
import { ENCOUNTER_SCHEME, encounterTargetOf } from '../../protocol';
import { uncodable, type DocumentEncounter } from './documentEncounter';
import { renderEncounter, renderedDocument, type RenderedEncounter } from './encounterRendering';

interface Opened {
  readonly view: EncounterView;
  readonly rendered: RenderedEncounter;
}

export interface VirtualEncounters {
  /** Reads the encounter and answers the text its document shows; remembered for `documentOf`. */
  render(uri: string): Promise<string>;
  documentOf(uri: string, text: string): DocumentEncounter | undefined;
  forget(uri: string): void;
}

/** One spelling per document: editors may escape the query differently from how the URI was first written. */
const keyOf = (uri: string) => URI.parse(uri).toString();

export function createVirtualEncounters(load: EncounterLoader): VirtualEncounters {
  const opened = new Map<string, Opened>();
  return {
    async render(uri) {
      const target = encounterTargetOf(uri);
      if (!target) throw new ChartcoderError('bad-input', `${uri} is not an encounter document (${ENCOUNTER_SCHEME}:/Encounter/<id>)`);
      const { view, source } = await load(target);
      const rendered = renderEncounter(view, source);
      opened.set(keyOf(uri), { view, rendered });
      return rendered.text;
    },
    documentOf(uri, text) {
      const target = encounterTargetOf(uri);
      if (!target) return undefined;
      const known = opened.get(keyOf(uri));
      if (!known) return uncodable(uri, 'this encounter was not read by the language server: close it and open it again');
      if (known.rendered.text !== text) return uncodable(uri, 'the document no longer shows the encounter as read: close it and open it again');
      const subject = target.bundle ? uri : known.view.encounter.reference;
      return renderedDocument(subject, known.view, known.rendered);
    },
    forget: (uri) => void opened.delete(keyOf(uri)),
  };
}
