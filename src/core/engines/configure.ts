/**
 * The element's engine settings turned into engines: the `engines` list
 * checked (an unknown name is a `config` error), the peers built from their
 * forwarder URLs, and each engine wrapped so it can be cancelled on its own.
 */
import { HeidiError } from '../errors.ts';
import { commaList } from '../text.ts';
import { createOmniscribeEngine, OMNISCRIBE_MODELS, type OmniscribeModel } from './omniscribe.ts';
import { createSullyEngine } from './sully.ts';
import { cancellable } from './pipeline.ts';
import { ENGINE_NAMES, type CodingEngine, type EngineName } from './types.ts';

export interface PeerSettings {
  readonly sullyBase: string;
  readonly omniscribeBase: string;
  readonly omniscribeModel: string;
  readonly patientId: string;
  /** Sully's wait between polls (default 2 s). */
  readonly pollMs: number | undefined;
}

// A `config` error is never retryable (HeidiError's default).
const notSetUp = (message: string) => new HeidiError('config', message);

/** `heidi, sully` -> `['heidi', 'sully']`, in display order, each once; '' is Heidi alone. */
export function parseEngines(value: string): EngineName[] {
  const names = commaList(value.toLowerCase());
  const unknown = names.find((n) => !(ENGINE_NAMES as readonly string[]).includes(n));
  if (unknown !== undefined) throw notSetUp(`Unknown engine "${unknown}" in engines (heidi, sully, omniscribe).`);
  return names.length ? [...new Set(names as EngineName[])] : ['heidi'];
}

/** The peer engines among `names`, in their order; a peer without its forwarder URL is a `config` error. */
export function createPeers(names: readonly EngineName[], settings: PeerSettings): CodingEngine[] {
  return names.flatMap((name): CodingEngine[] => {
    if (name === 'sully') {
      if (!settings.sullyBase) throw notSetUp('The sully engine needs sully-base.');
      return [createSullyEngine({ base: settings.sullyBase, ...(settings.pollMs ? { pollIntervalMs: settings.pollMs } : {}) })];
    }
    if (name === 'omniscribe') {
      if (!settings.omniscribeBase) throw notSetUp('The omniscribe engine needs omniscribe-base.');
      const model = settings.omniscribeModel || 'balanced';
      if (!(OMNISCRIBE_MODELS as readonly string[]).includes(model))
        throw notSetUp(`Unknown omniscribe-model "${model}" (${OMNISCRIBE_MODELS.join(', ')}).`);
      return [
        createOmniscribeEngine({
          base: settings.omniscribeBase,
          model: model as OmniscribeModel,
          patientId: settings.patientId || undefined,
        }),
      ];
    }
    return [];
  });
}

/** The element's engine attributes, as `configureEngines` reads them. */
export interface EngineSettings {
  readonly engines: string | null;
  readonly sullyBase: string;
  readonly omniscribeBase: string;
  readonly omniscribeModel: string;
  readonly ehrPatientId: string;
  readonly timeouts: { readonly poll?: number } | undefined;
}

/** The engines of one load: their names in display order, whether Heidi is one, and the peers, each cancellable on its own. */
export function configureEngines(host: EngineSettings, signalFor: (engine: EngineName) => AbortSignal) {
  const names = parseEngines(host.engines ?? '');
  // Read one by one: the host is an element, whose properties are accessors (a spread would copy none).
  const { sullyBase, omniscribeBase, omniscribeModel } = host;
  const settings = { sullyBase, omniscribeBase, omniscribeModel, patientId: host.ehrPatientId, pollMs: host.timeouts?.poll };
  const peers = createPeers(names, settings).map((engine) => cancellable(engine, signalFor(engine.name)));
  return { names, withHeidi: names.includes('heidi'), peers };
}
