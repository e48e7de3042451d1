/** Mensajes en español: mismas claves que `en.ts`. */
import type { Messages } from './en.ts';
import { ownTable } from '../core/text.ts';

const donde = (p: Record<string, string | number>) =>
  `${p.source === 'note' ? 'El fragmento de la nota' : 'El fragmento de la transcripción'} ${p.snippet}`;

export const es: Messages = {
  title: 'Códigos clínicos',
  loadingSession: 'Cargando la consulta…',
  creatingSession: 'Iniciando una sesión de Heidi…',
  generating: (seconds) => `Heidi está generando los códigos… ${seconds} s`,
  generatingStarted: 'Heidi está generando los códigos…',
  cancel: 'Cancelar',
  cancelled: 'Se canceló la generación de códigos.',
  loadCodes: 'Cargar códigos',
  retry: 'Reintentar',
  empty: 'No se sugirieron códigos para esta consulta.',
  emptyHidden: (count: number) =>
    count === 1
      ? 'Se sugirió 1 código, fuera de los sistemas de codificación que muestra esta vista (code-systems).'
      : `Se sugirieron ${count} códigos, ninguno en los sistemas de codificación que muestra esta vista (code-systems).`,
  loaded: (count) => `${count} ${count === 1 ? 'código' : 'códigos'} ${count === 1 ? 'sugerido' : 'sugeridos'}.`,
  errorTitle: 'No se pudieron mostrar los códigos',
  errors: {
    auth: 'No se aceptó el inicio de sesión: es posible que su sesión del EHR o de Heidi haya terminado. Vuelva a iniciar sesión o reintente.',
    network: 'No se pudo conectar con Heidi ni con el servidor del EHR. Compruebe la conexión y reintente.',
    timeout: 'Heidi o el servidor del EHR tardaron demasiado en responder. Reintente en un momento.',
    'not-found': 'No se encontró esta consulta en Heidi.',
    'rate-limited': 'Heidi o el servidor del EHR están ocupados en este momento. Reintente en un momento.',
    server: 'Heidi o el servidor del EHR tuvieron un problema al responder. Reintente en un momento.',
    'invalid-response': 'Heidi o el servidor del EHR enviaron datos que este componente no puede leer.',
    'invalid-request': 'El servicio de codificación rechazó la nota que se le envió (por ejemplo, superaba su límite de tamaño).',
    config: 'El componente no está bien configurado: los detalles indican qué ajuste cambiar.',
  },
  details: 'Detalles',
  degradedTranscript: 'No se pudo cargar la transcripción: la evidencia se muestra sin su contexto.',
  droppedEntities: (count: number) =>
    count === 1 ? 'No se pudo leer 1 código sugerido y no se muestra.' : `No se pudieron leer ${count} códigos sugeridos y no se muestran.`,
  droppedDetails: (count: number) =>
    count === 1
      ? 'No se pudo leer 1 dato (códigos similares, evidencia o puntuaciones) y se omite.'
      : `No se pudieron leer ${count} datos (códigos similares, evidencia o puntuaciones) y se omiten.`,
  degradedSession: 'No se pudieron cargar los datos de la consulta: la nota y las comprobaciones del paciente no están disponibles.',
  score: 'Puntuación',
  relevance: 'Relevancia',
  relevanceValue: ownTable({ HIGH: 'Alta', MEDIUM: 'Media', LOW: 'Baja' }),
  status: { PENDING: 'Por revisar', ACCEPTED: 'Aceptado', REJECTED: 'Rechazado' },
  sent: 'Enviado',
  accept: 'Aceptar',
  reject: 'Rechazar',
  undo: 'Deshacer',
  acceptCode: (code) => `Aceptar ${code}`,
  rejectCode: (code) => `Rechazar ${code}`,
  undoCode: (code) => `Deshacer la decisión sobre ${code}`,
  swappedFrom: (code) => `Sustituye a ${code}`,
  similarCodes: (count) => `Códigos similares (${count})`,
  swapTo: (code, name) => `Usar ${code} ${name} en su lugar`,
  use: 'Usar',
  restorePrimary: (code) => `Usar ${code}, la sugerencia de Heidi`,
  parentCode: 'Código superior',
  childCodes: 'Más específicos',
  siblingCodes: 'Del mismo grupo',
  evidence: (count) => `Evidencia (${count})`,
  transcript: 'Transcripción',
  note: 'Nota',
  context: 'Contexto',
  openInNote: 'Abrir en la nota',
  openInTranscript: 'Abrir en la transcripción',
  unlocated: 'No se encontró en la transcripción',
  moved: 'Encontrado cerca de la posición indicada',
  noTranscript: 'Transcripción no disponible',
  badNoteSpan: 'Ubicación en la nota fuera de rango',
  speaker: ownTable({ doctor: 'Médico', patient: 'Paciente' }),
  checks: {
    sex: (p) =>
      `Incompatibilidad por sexo: este código es solo para pacientes de sexo ${p.codeSex === 'female' ? 'femenino' : 'masculino'}; el sexo registrado es ${p.patientSex === 'female' ? 'femenino' : 'masculino'}.`,
    age: (p) => `Incompatibilidad por edad: este código es para edades de ${p.min} a ${p.max} años; el paciente tenía ${p.age} años.`,
    invalid: (p) => `Código no válido para codificar (${p.status}).`,
    rare: (p) => `Código de uso poco frecuente (${p.flag}): compruebe que es aplicable.`,
    unspecified: (p) =>
      `Código no especificado: ${Number(p.count) === 1 ? 'existe 1 código más específico' : `existen ${p.count} códigos más específicos`}.`,
    negated: (p) => `${donde(p)} puede estar negado («${p.cue}»).`,
    historical: (p) => `${donde(p)} puede ser un antecedente («${p.cue}»).`,
    'other-person': (p) => `${donde(p)} puede referirse a otra persona («${p.cue}»).`,
    'no-evidence': () => 'No hay evidencia que lo respalde en la transcripción ni en la nota.',
    'score-range': (p: Record<string, string | number>) =>
      `Heidi envió una puntuación fuera de 0–1 (${p.score}): la puntuación mostrada no es fiable.`,
  },
  quoteChecks: {
    negated: (cue) => `Puede estar negado («${cue}»)`,
    historical: (cue) => `Puede ser un antecedente («${cue}»)`,
    'other-person': (cue) => `Puede referirse a otra persona («${cue}»)`,
  },
  moreEvidence: (count) => `${count} ${count === 1 ? 'cita más' : 'citas más'}`,
  checksLabel: (count) => `${count} ${count === 1 ? 'aviso' : 'avisos'} que revisar`,
  // Motores de codificación (sus nombres no se traducen)
  enginePhase: {
    queued: 'Esperando la nota',
    processing: 'Codificando…',
    done: 'Listo',
    failed: 'Falló',
    cancelled: 'Cancelado',
    skipped: 'Omitido: sin nota',
  },
  cancelEngine: (name) => `Cancelar ${name}`,
  retryEngine: (name) => `Reintentar ${name}`,
  engineFailed: (name) => `${name} no pudo codificar esta consulta; se muestran los códigos de los demás motores.`,
  enginesSkipped: (names) => `No hay nota que codificar: se omitió ${names}.`,
  engineDropped: (name, count) => `${name}: no se pudo leer ${count === 1 ? '1 código sugerido' : `${count} códigos sugeridos`}.`,
  suggestedBy: 'Sugerido por',
  discardedBy: (name, reason) => `${name} descartó este código: ${reason}`,
  discarded: 'Considerados y descartados',
  atLeastEngines: (count) => `Al menos ${count}`,
  sortAgreement: 'Coincidencia',
  filterSystem: 'Sistema de codificación',
  allSystems: 'Todos los sistemas',
  filterStatus: 'Estado',
  allStatuses: 'Todos',
  sortBy: 'Ordenar por',
  sortDocument: 'Orden sugerido',
  sortRelevance: 'Relevancia',
  sortScore: 'Puntuación',
  groupByKind: 'Agrupar diagnósticos y procedimientos',
  groups: ownTable({
    diagnosis: 'Diagnósticos',
    procedure: 'Procedimientos',
    'clinical-term': 'Términos clínicos',
    other: 'Otros códigos',
  }),
  progress: (accepted, rejected, total) =>
    `${accepted} ${accepted === 1 ? 'aceptado' : 'aceptados'} y ${rejected} ${rejected === 1 ? 'rechazado' : 'rechazados'} de ${total}`,
  reviewedOf: (reviewed, total) => `${reviewed} de ${total} ${reviewed === 1 ? 'revisado' : 'revisados'}`,
  advanceSetting: 'Avanzar tras decidir',
  noneMatch: 'Ningún código coincide con estos filtros.',
  showMore: (count) => `Mostrar ${count} ${count === 1 ? 'código más' : 'códigos más'}`,
  batchAccept: 'Aceptar filtrados…',
  batchTitle: 'Aceptar los códigos que cumplen este filtro',
  batchMinRelevance: 'Relevancia mínima',
  batchMinScore: 'Puntuación mínima (%)',
  batchUnrated: 'Sully y Omniscribe no valoran la relevancia: un código que solo ellos sugirieron se toma por su puntuación.',
  batchRequireEvidence: 'Con evidencia directa en la transcripción o la nota',
  batchExcludeWarnings: 'Sin avisos que revisar',
  batchCount: (count) =>
    `${count} ${count === 1 ? 'código' : 'códigos'} ${count === 1 ? 'pendiente cumple' : 'pendientes cumplen'} este filtro.`,
  batchConfirm: (count) => `Aceptar ${count}`,
  batchDone: (count) => `Se ${count === 1 ? 'aceptó' : 'aceptaron'} ${count} ${count === 1 ? 'código' : 'códigos'}.`,
  shortcuts: 'Atajos de teclado',
  shortcutList: {
    move: 'Moverse entre códigos',
    ends: 'Primer / último código',
    accept: 'Aceptar',
    reject: 'Rechazar',
    undo: 'Deshacer',
    pending: 'Código siguiente / anterior por revisar',
    swap: 'Usar el código similar con ese número',
    open: 'Abrir la evidencia',
    sheet: 'Mostrar u ocultar esta lista',
    close: 'Cerrar esta lista',
  },
  keyNames: { ArrowUp: '↑', ArrowDown: '↓', Enter: 'Intro', Escape: 'Esc' },
  close: 'Cerrar',
  documentView: 'Documento de origen',
  closeSource: 'Cerrar la nota y la transcripción',
  noNote: 'Esta consulta no tiene nota.',
  noTranscriptText: 'Esta consulta no tiene transcripción.',
  sendToEhr: 'Enviar a la historia clínica',
  sendCount: (count) => `Enviar ${count} a la historia clínica`,
  nothingToSend: 'Acepte códigos para enviarlos a la historia clínica.',
  sending: 'Enviando a la historia clínica…',
  willWithdraw: (count) =>
    `Al enviar se ${count === 1 ? 'retirará' : 'retirarán'} ${count} ${count === 1 ? 'código' : 'códigos'} de la historia clínica.`,
  sentOk: (count, withdrawn) =>
    withdrawn === 0
      ? `Se ${count === 1 ? 'envió' : 'enviaron'} ${count} ${count === 1 ? 'código' : 'códigos'} a la historia clínica.`
      : count === 0
        ? `Se ${withdrawn === 1 ? 'retiró' : 'retiraron'} ${withdrawn} ${withdrawn === 1 ? 'código' : 'códigos'} de la historia clínica.`
        : `Se ${count === 1 ? 'envió' : 'enviaron'} ${count} ${count === 1 ? 'código' : 'códigos'} a la historia clínica y se ${withdrawn === 1 ? 'retiró' : 'retiraron'} ${withdrawn}.`,
  sendFailed: (reason) =>
    `La historia clínica no recibió los códigos${reason ? `: ${reason}` : ''}. Sus decisiones se conservan; vuelva a intentarlo.`,
  sendCancelled: 'La historia clínica rechazó los códigos. No se marcó nada como enviado.',
  wrongPatient: 'Esta consulta pertenece a un paciente distinto del abierto en la historia clínica. El envío está bloqueado.',
  patientUnlinked: 'Esta consulta no está vinculada al paciente abierto en la historia clínica. El envío está bloqueado hasta que lo esté.',
  patientLinkFailed:
    'Esta consulta no está vinculada al paciente abierto en la historia clínica y no se pudo vincular. El envío está bloqueado hasta que lo esté: reintente.',
  contextNotSaved: 'Los datos del paciente y las notas de la historia clínica no se guardaron en Heidi.',
  patientUnread:
    'No se pudieron leer los datos de la consulta, así que su paciente no se puede comprobar con la historia clínica. El envío está bloqueado: reintente.',
  restoredUnknown: (count) =>
    `${count} ${count === 1 ? 'decisión guardada es' : 'decisiones guardadas son'} de códigos que ya no se sugieren y no se ${count === 1 ? 'aplicó' : 'aplicaron'}.`,
  auditTrimmed: (count, kept) =>
    `${count} ${count === 1 ? 'entrada antigua de auditoría no se conservó' : 'entradas antiguas de auditoría no se conservaron'}: una revisión conserva las ${kept} más recientes.`,
  lostToOtherTab: (code) => `${code} se cambió en otra pestaña o ventana: se conserva la decisión más reciente.`,
  notStored:
    'El almacenamiento de este navegador está lleno: sus decisiones se conservan en esta página pero no se guardan; se reintentará en su próximo cambio.',
  readonlyNote: 'Vista de solo lectura',
};
