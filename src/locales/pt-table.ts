/**
 * Portuguese translations (issue 14), keyed by the English source text of each msg() in src/
 * (`{0}`, `{1}`… = the values, in the English order; a translation may reorder them).
 * Medical terms: parasitemia, hemácias (red cells), leucócitos, esfregaço delgado, lâmina.
 * src/locales/locales.test.ts checks this table is complete and fully translated.
 */
import type { TranslationTable } from '../i18n/templates.js';

export const pt: TranslationTable = {
  // PWA status
  'Ready to work offline': 'Pronto para funcionar offline',
  'A new version is available': 'Há uma nova versão disponível',
  'A new version is available — will reload when the batch finishes':
    'Há uma nova versão disponível — será recarregada quando o lote terminar',
  'Updating to the new version…': 'A atualizar para a nova versão…',
  'Offline mode unavailable: {0}': 'Modo offline indisponível: {0}',
  'unknown error': 'erro desconhecido',
  'Offline · works offline': 'Sem rede · funciona offline',
  'No network. Everything runs on this device; nothing is lost.':
    'Sem rede. Tudo funciona neste aparelho; nada se perde.',
  Offline: 'Sem rede',
  'No network, and offline use is not set up yet: reload once with a network.':
    'Sem rede, e o uso offline ainda não está preparado: recarregue uma vez com rede.',
  'Works offline': 'Funciona offline',
  'The app and the model are stored on this device; no network needed.':
    'A aplicação e o modelo estão guardados neste aparelho; não é preciso rede.',
  'Setting up offline use…': 'A preparar o uso offline…',
  'Keep the network until the app says it is ready to work offline.':
    'Mantenha a rede até a aplicação indicar que está pronta para funcionar offline.',
  'Needs network': 'Precisa de rede',
  'Offline use is unavailable in this browser or build.':
    'O uso offline não está disponível neste navegador ou nesta versão.',
  Reload: 'Recarregar',
  'Reload pending': 'Recarga pendente',
  'Install app': 'Instalar a aplicação',
  // Cells view
  'Classification progress': 'Progresso da classificação',
  '{0} / {1} classified': '{0} / {1} classificadas',
  Cancel: 'Cancelar',
  'Camera permission was refused.': 'O acesso à câmara foi recusado.',
  'No camera was found on this device.': 'Não foi encontrada nenhuma câmara neste aparelho.',
  'The camera is in use by another app.': 'A câmara está a ser usada por outra aplicação.',
  'The live camera is not available here.': 'A câmara em direto não está disponível aqui.',
  'This browser has no live camera access.': 'Este navegador não tem acesso à câmara em direto.',
  Camera: 'Câmara',
  'Starting camera…': 'A iniciar a câmara…',
  'Capture cell': 'Capturar a célula',
  'Close camera': 'Fechar a câmara',
  'Centre one red cell in the picture, then capture.': 'Centre uma hemácia na imagem e depois capture.',
  "You can still take a photo with the device's camera app:":
    'Ainda pode tirar uma foto com a aplicação de câmara do aparelho:',
  'Take photo': 'Tirar foto',
  Close: 'Fechar',
  '{0} image(s) waiting for the model to load…': '{0} imagem(ns) à espera do carregamento do modelo…',
  'Cancelled: {0} image(s) were not classified. Results so far are kept.':
    'Cancelado: {0} imagem(ns) não foram classificadas. Os resultados obtidos são mantidos.',
  'Classification stopped: {0}. Results so far are kept.':
    'Classificação interrompida: {0}. Os resultados obtidos são mantidos.',
  'pasted image': 'imagem colada',
  'Choose cell images…': 'Escolher imagens de células…',
  '…or drop images or folders anywhere on this page, or paste an image.':
    '…ou largue imagens ou pastas em qualquer parte desta página, ou cole uma imagem.',
  'Clear results': 'Limpar resultados',
  'Classification results': 'Resultados da classificação',
  'Could not classify this file.': 'Não foi possível classificar este ficheiro.',
  'Infection likelihood {0}': 'Probabilidade de infeção {0}',
  'Infection likelihood': 'Probabilidade de infeção',
  'Share infected': 'Proporção infetada',
  '{0} of {1} red cells called Infected by the model; 95% interval {2} – {3}.':
    '{0} de {1} hemácias classificadas como infetadas pelo modelo; intervalo de 95% {2} – {3}.',
  '1 more cell needs review: up to {0} if it is infected.': 'Mais uma hemácia a rever: até {0} se estiver infetada.',
  '{0} more cells need review: up to {1} if all are infected.':
    'Mais {0} hemácias a rever: até {1} se todas estiverem infetadas.',
  // Messages from the session controller
  'Enter a patient or slide identifier.': 'Introduza um identificador do paciente ou da lâmina.',
  'This session was deleted on this device (Records or another tab).':
    'Esta sessão foi eliminada neste aparelho (Registos ou outro separador).',
  'Records storage is not available on this device, so the session cannot be saved.':
    'O armazenamento de registos não está disponível neste aparelho, por isso a sessão não pode ser guardada.',
  'This session no longer exists (it was deleted).': 'Esta sessão já não existe (foi eliminada).',
  'The model could not be loaded, so images cannot be analysed. Reload to try again.':
    'Não foi possível carregar o modelo, por isso as imagens não podem ser analisadas. Recarregue para tentar de novo.',
  'This cell is no longer in the session.': 'Esta célula já não está na sessão.',
  'Waiting for the model to load before analysing {0}…': 'À espera do carregamento do modelo antes de analisar {0}…',
  'Analysing {0} ({1} of {2})…': 'A analisar {0} ({1} de {2})…',
  'Waiting for the model to load…': 'À espera do carregamento do modelo…',
  'Red-cell count must be between 100,000 and 10,000,000 per µL (e.g. 4,500,000).':
    'A contagem de hemácias deve estar entre 100 000 e 10 000 000 por µL (p. ex. 4 500 000).',
  'Haematocrit must be a percentage between 1 and 80 (e.g. 38).':
    'O hematócrito deve ser uma percentagem entre 1 e 80 (p. ex. 38).',
  'Red cells to count must be a whole number from 1 to 1,000,000 (e.g. 1000).':
    'O número de hemácias a contar deve ser um número inteiro de 1 a 1 000 000 (p. ex. 1000).',
  'No reviewer named: the result is saved without a name, and the printed report leaves a line to sign. Enter them in “Reviewed by” above.':
    'Nenhum revisor indicado: o resultado é guardado sem nome, e o relatório impresso deixa uma linha para assinar. Introduza o nome ou as iniciais em “Revisto por” acima.',
  'This photo is already in this slide (image {0}, “{1}”), so its cells would be counted twice.':
    'Esta foto já está nesta lâmina (imagem {0}, “{1}”): as suas células seriam contadas duas vezes.',
  'date unknown': 'data desconhecida',
  // Diagnostics (About)
  'Model not loaded yet.': 'Modelo ainda não carregado.',
  'Engine (backend)': 'Motor de cálculo',
  Why: 'Motivo',
  'WebGL renderer': 'Renderizador WebGL',
  'Runs in': 'Executa-se em',
  'a background worker': 'um worker em segundo plano',
  'the page (fallback)': 'a página (alternativa)',
  'Cross-origin isolated': 'Isolamento de origem cruzada',
  Model: 'Modelo',
  'Inference rewrites': 'Otimizações da inferência',
  Input: 'Entrada',
  'Decision rule': 'Regra de decisão',
  'Infected if the likelihood is {0} or more; needs review if it is above {1} and below {2}; not infected if it is {3} or less':
    'Infetada se a probabilidade for {0} ou mais; a rever se for superior a {1} e inferior a {2}; não infetada se for {3} ou menos',
  'Infected if the likelihood is {0} or more; not infected below {1}':
    'Infetada se a probabilidade for {0} ou mais; não infetada abaixo de {1}',
  'Load time': 'Tempo de carregamento',
  'Backend changes': 'Mudanças de motor',
  'Live tensors': 'Tensores ativos',
  Refresh: 'Atualizar',
  // Field view
  'Reading the image…': 'A ler a imagem…',
  'The model is not loaded yet: cells were found but not classified (all shown as needing review).':
    'O modelo ainda não está carregado: as células foram encontradas mas não classificadas (todas mostradas como «a rever»).',
  'Finding cells…': 'A procurar células…',
  'Classifying cells: {0} of {1}': 'A classificar células: {0} de {1}',
  'Field totals': 'Totais do campo',
  'Red cells': 'Hemácias',
  'White blood cells': 'Leucócitos',
  Parasitaemia: 'Parasitemia',
  'Outline legend': 'Legenda dos contornos',
  'Export…': 'Exportar…',
  'Export format': 'Formato de exportação',
  'Technical details': 'Detalhes técnicos',
  'Choose field photo': 'Escolher foto de campo',
  'Always analyse as a whole field': 'Analisar sempre como campo inteiro',
  'Drop a whole-field microscope photo here (thin smear, 100× objective; take it at the camera’s full resolution).':
    'Largue aqui uma foto de um campo inteiro ao microscópio (esfregaço delgado, objetiva de 100×; tirada na resolução máxima da câmara).',
  '({0} more photo(s) waiting)': '(mais {0} foto(s) em espera)',
  '{0} looks like a single cell, not a whole field. Classify it in the Cells tab, or':
    '{0} parece uma única célula, não um campo inteiro. Classifique-a no separador Células, ou',
  '{0} is neither a whole-field photo nor a single red cell ({1}). Check that it is a thin blood smear photographed through the microscope, or':
    '{0} não é uma foto de um campo inteiro nem uma hemácia isolada ({1}). Verifique se é um esfregaço delgado fotografado ao microscópio, ou',
  'This image': 'Esta imagem',
  'analyse as a field anyway': 'analise-a mesmo assim como campo',
  'Photos analysed': 'Fotos analisadas',
  'Photos analysed ({0})': 'Fotos analisadas ({0})',
  '{0} red cells, {1} infected': '{0} hemácias, {1} infetadas',
  'not analysed': 'não analisada',
  'Tap or click a cell to see its crop and infection likelihood.':
    'Toque ou clique numa célula para ver a sua imagem e probabilidade de infeção.',
  'Crop of cell {0} as the model saw it': 'Imagem da célula {0} tal como o modelo a viu',
  'Cell {0}': 'Célula {0}',
  'White blood cell (not counted)': 'Leucócito (não contado)',
  'Centre ({0}, {1}) px': 'Centro ({0}, {1}) px',
  'Field with {0} outlined cells. Drag or arrow keys to pan, wheel, pinch or +/− to zoom, n/p to step through cells, tap a cell for details.':
    'Campo com {0} células contornadas. Arraste ou use as setas para deslocar, roda, pinça ou +/− para ampliar, n/p para passar de célula em célula, toque numa célula para ver detalhes.',
  'Zoom in': 'Ampliar',
  'Zoom out': 'Reduzir',
  'Show whole field': 'Mostrar o campo inteiro',
  'Image {0}: {1}. {2}': 'Imagem {0}: {1}. {2}',
  'no cells': 'nenhuma célula',
  'No image stored': 'Nenhuma imagem guardada',
  // App shell
  Slide: 'Lâmina',
  Field: 'Campo',
  Cells: 'Células',
  Records: 'Registos',
  'Loading the model…': 'A carregar o modelo…',
  'Downloading the model…': 'A transferir o modelo…',
  'Choosing the fastest engine for this device…': 'A escolher o motor mais rápido para este aparelho…',
  'Warming up…': 'A preparar…',
  Ready: 'Pronto',
  'The model could not be loaded.': 'Não foi possível carregar o modelo.',
  'Try again': 'Tentar de novo',
  'Model loading': 'Carregamento do modelo',
  'About this app': 'Sobre esta aplicação',
  'Malaria Screen flags red cells that may be infected in photos of thin blood smears. Everything runs on this device.':
    'O Malaria Screen assinala hemácias possivelmente infetadas em fotos de esfregaços sanguíneos delgados. Tudo funciona neste aparelho.',
  Engine: 'Motor',
  'App build': 'Versão da aplicação',
  Language: 'Idioma',
  'About / diagnostics': 'Sobre / diagnóstico técnico',
  Views: 'Vistas',
  'Drop images to classify': 'Largue as imagens a classificar',
  'Screening aid, not a diagnosis.': 'Apoio à triagem, não é um diagnóstico.',
  'Every result must be confirmed by a trained microscopist before any treatment decision.':
    'Todo o resultado deve ser confirmado por um microscopista treinado antes de qualquer decisão de tratamento.',
  // Records
  Positive: 'Positivo',
  Negative: 'Negativo',
  'Ended, not finished': 'Terminada, incompleta',
  ', {0} imported as separate copies': ', {0} importada(s) como cópias separadas',
  ', {0} re-opened': ', {0} reaberta(s)',
  '{0} new sessions, {1} updated, {2} already here{3}{4}; {5} images added, {6} reviews updated.':
    '{0} sessão(ões) nova(s), {1} atualizada(s), {2} já presente(s){3}{4}; {5} imagem(ns) adicionada(s), {6} revisão(ões) atualizada(s).',
  '{0} session was left out because a stored value is invalid or out of range: {1}{2}. Open it in the list below to check it, then delete it.':
    '{0} sessão foi excluída porque um valor guardado é inválido ou está fora dos limites: {1}{2}. Abra-a na lista abaixo para a verificar e depois elimine-a.',
  '{0} sessions were left out because a stored value is invalid or out of range: {1}{2}. Open it in the list below to check it, then delete it.':
    '{0} sessões foram excluídas porque um valor guardado é inválido ou está fora dos limites: {1}{2}. Abra-as na lista abaixo para as verificar e depois elimine-as.',
  '{0} image(s) without a session left out.': '{0} imagem(ns) sem sessão excluída(s).',
  'Exported {0} session ({1}).': '{0} sessão exportada ({1}).',
  'Exported {0} sessions ({1}).': '{0} sessões exportadas ({1}).',
  'Exported {0} session with {1}.': '{0} sessão exportada com {1}.',
  'Exported {0} sessions with {1}.': '{0} sessões exportadas com {1}.',
  '{0} image': '{0} imagem',
  '{0} images': '{0} imagens',
  'You can also drop an archive file (.json) on this page to import it.':
    'Também pode largar um ficheiro de arquivo (.json) nesta página para o importar.',
  'Reopen to correct': 'Reabrir para corrigir',
  'This file is not valid JSON, so it is not a records archive.':
    'Este ficheiro não é JSON válido, portanto não é um arquivo de registos.',
  'This file is not a records archive from this app.': 'Este ficheiro não é um arquivo de registos desta aplicação.',
  'Archive format version {0} is not supported by this version of the app.':
    'A versão {0} do formato de arquivo não é suportada por esta versão da aplicação.',
  'Archive schema version {0} is not supported by this version of the app (it reads versions {1} and {2}).':
    'A versão {0} do esquema de arquivo não é suportada por esta versão da aplicação (lê as versões {1} e {2}).',
  'Not a valid records archive. The file was not imported:':
    'Arquivo de registos inválido. O ficheiro não foi importado. Detalhe técnico:',
  'Deleted the session “{0}”.': 'Sessão «{0}» eliminada.',
  'All records were deleted from this device.': 'Todos os registos foram eliminados deste aparelho.',
  'sessions CSV': 'CSV de sessões',
  'per-cell CSV': 'CSV por célula',
  'Imported {0}: {1}': '{0} importado: {1}',
  'Recomputed from the cells: {0}': 'Recalculado a partir das células: {0}',
  'The browser will keep these records even when storage runs low.':
    'O navegador vai manter estes registos mesmo com pouco espaço.',
  'The browser declined persistent storage (installing the app usually allows it). Export regularly.':
    'O navegador recusou o armazenamento persistente (instalar a aplicação costuma permiti-lo). Exporte regularmente.',
  'This browser cannot make storage persistent. Export regularly.':
    'Este navegador não consegue tornar o armazenamento persistente. Exporte regularmente.',
  'Records on this device': 'Registos neste aparelho',
  'Search by identifier': 'Procurar por identificador',
  'Sessions CSV': 'CSV de sessões',
  'Per-cell CSV': 'CSV por célula',
  'Export archive (JSON)': 'Exportar arquivo (JSON)',
  'Import archive': 'Importar arquivo',
  'Delete the damaged record': 'Eliminar o registo danificado',
  'Sessions ({0} matching “{1}”)': 'Sessões ({0} correspondentes a «{1}»)',
  'Sessions ({0})': 'Sessões ({0})',
  'No session matches this identifier.': 'Nenhuma sessão corresponde a este identificador.',
  'No sessions saved yet.': 'Ainda não há sessões guardadas.',
  'Delete all {0} sessions from this device? This cannot be undone; export first if unsure.':
    'Eliminar as {0} sessões deste aparelho? Não pode ser desfeito; exporte primeiro se tiver dúvidas.',
  'Delete all': 'Eliminar tudo',
  'Delete all records…': 'Eliminar todos os registos…',
  'Storage used: {0} of {1} available.': 'Armazenamento usado: {0} de {1} disponíveis.',
  'Storage used: {0}.': 'Armazenamento usado: {0}.',
  'Records are kept persistently.': 'Os registos são mantidos de forma persistente.',
  'Records may be cleared by the browser when space runs low.':
    'O navegador pode apagar os registos quando houver pouco espaço.',
  'Keep records on this device': 'Manter os registos neste aparelho',
  'red cells': 'hemácias',
  flagged: 'assinaladas',
  'not reviewed': 'não revistas',
  confirmed: 'confirmadas',
  'Ended, not reviewed': 'Terminada, não revista',
  'In progress': 'Em curso',
  'Damaged record, left out of exports: {0}.': 'Registo danificado, excluído das exportações: {0}.',
  'The damaged record was deleted.': 'O registo danificado foi eliminado.',
  'Session “{0}”': 'Sessão «{0}»',
  "This slide's saved counts disagreed with its cells and were recounted from them:":
    'As contagens guardadas desta lâmina não correspondiam às suas células e foram recontadas:',
  'Print report': 'Imprimir relatório',
  'Delete this session?': 'Eliminar esta sessão?',
  Delete: 'Eliminar',
  'Delete…': 'Eliminar…',
  // Slide result
  'Not finished': 'Não terminado',
  '{0} red cell': '{0} hemácia',
  '{0} red cells': '{0} hemácias',
  '{0} flagged cell': '{0} célula assinalada',
  '{0} flagged cells': '{0} células assinaladas',
  '{0} more red cell to reach the target of {1}': 'mais {0} hemácia para atingir o objetivo de {1}',
  '{0} more red cells to reach the target of {1}': 'mais {0} hemácias para atingir o objetivo de {1}',
  '{0} flagged cell not reviewed yet': '{0} célula assinalada ainda não revista',
  '{0} flagged cells not reviewed yet': '{0} células assinaladas ainda não revistas',
  '{0} cell marked unsure: decide after looking again':
    '{0} célula marcada como «incerta»: decida depois de voltar a observar',
  '{0} cells marked unsure: decide after looking again':
    '{0} células marcadas como «incertas»: decida depois de voltar a observar',
  '{0} parasitized red cell': '{0} hemácia parasitada',
  '{0} parasitized red cells': '{0} hemácias parasitadas',
  '{0} confirmed by the reviewer among {1} counted.': '{0} confirmada(s) pelo revisor entre {1} contadas.',
  'No parasites found in {0} screened by the model ({1} checked and rejected by the reviewer).':
    'Nenhum parasita encontrado em {0} analisada(s) pelo modelo ({1} verificada(s) e rejeitada(s) pelo revisor).',
  'No parasites found in {0} screened by the model (none was flagged for review).':
    'Nenhum parasita encontrado em {0} analisada(s) pelo modelo (nenhuma foi assinalada para revisão).',
  'No parasite confirmed yet; still needed: {0}.': 'Nenhum parasita confirmado ainda; falta: {0}.',
  '{0} RBC/µL': '{0} hemácias/µL',
  '({0}% × 10⁷ ÷ {1} fL = {2} RBC/µL)': '({0}% × 10⁷ ÷ {1} fL = {2} hemácias/µL)',
  '{0} parasitized ÷ {1} red cells × {2} = {3} /µL': '{0} parasitada(s) ÷ {1} hemácias × {2} = {3} /µL',
  '95% interval {0} – {1}': 'intervalo de 95% {0} – {1}',
  '{0} confirmed parasitized of {1} red cells; Wilson score interval.':
    '{0} hemácia(s) parasitada(s) confirmada(s) em {1}; intervalo de Wilson.',
  'Too few cells to quantify:': 'Poucas células para quantificar:',
  'at this density count {0} red cells (WHO practice), {1} more.':
    'com esta densidade conte {0} hemácias (prática da OMS), mais {1}.',
  'parasitized red cells per µL': 'hemácias parasitadas por µL',
  'The model ships no measured share of parasites it flags, so the detection limit of this count is not stated.':
    'O modelo não indica a proporção medida de parasitas que assinala, por isso o limite de deteção desta contagem não é indicado.',
  'Detection limit of this count: a parasitaemia of {0} or more would have put at least one parasitized cell in front of you with 95% probability ({1} red cells; the model flags {2} of parasitized cells on test patients).':
    'Limite de deteção desta contagem: uma parasitemia de {0} ou mais ter-lhe-ia mostrado pelo menos uma hemácia parasitada com 95% de probabilidade ({1} hemácias; o modelo assinala {2} das hemácias parasitadas em pacientes de teste).',
  'Basis: {0} red cells counted (target {1}); {2} flagged for review: {3} parasite, {4} not a parasite, {5} unsure, {6} not reviewed.':
    'Base: {0} hemácias contadas (objetivo {1}); {2} assinaladas para revisão: {3} parasita(s), {4} não parasita(s), {5} incerta(s), {6} não revista(s).',
  'The result comes from your review, not from the model alone.':
    'O resultado vem da sua revisão, não apenas do modelo.',
  // Review queue
  'Not reviewed': 'Não revista',
  Parasite: 'Parasita',
  'Not a parasite': 'Não é parasita',
  Unsure: 'Incerto',
  'looks infected': 'parece infetada',
  uncertain: 'incerto',
  'looks healthy (added by you)': 'parece saudável (adicionada por si)',
  'white blood cell': 'leucócito',
  'Current cell. Keys: P parasite, N not a parasite, U unsure, arrows previous and next, Z undo':
    'Célula atual. Teclas: P parasita, N não é parasita, U incerto, setas anterior e seguinte, Z anular',
  'Cell {0} of {1} from {2}, circled; shaded where the model looked':
    'Célula {0} de {1} de {2}, assinalada com um círculo; sombreado onde o modelo olhou',
  'Cell {0} of {1} from {2}, circled': 'Célula {0} de {1} de {2}, assinalada com um círculo',
  'Cell {0} of {1} · image {2} ({3})': 'Célula {0} de {1} · imagem {2} ({3})',
  'Model:': 'Modelo:',
  'infection likelihood {0}': 'probabilidade de infeção {0}',
  'Your review:': 'A sua revisão:',
  'Parasite (P)': 'Parasita (P)',
  'Not a parasite (N)': 'Não é parasita (N)',
  'Unsure (U)': 'Incerto (U)',
  'Reason if not a parasite (optional)': 'Motivo se não for parasita (opcional)',
  'No reason given': 'Sem motivo',
  'Show where the model looked': 'Mostrar onde o modelo olhou',
  Previous: 'Anterior',
  Next: 'Seguinte',
  'Undo (Z)': 'Anular (Z)',
  'Show in its field': 'Mostrar no seu campo',
  "Swipe the picture left or right for the next or previous cell. The shading marks the pixels that most raised the model's estimate; it is a hint, not a finding.":
    'Deslize a imagem para a esquerda ou para a direita para a célula seguinte ou anterior. O sombreado marca os píxeis que mais aumentaram a estimativa do modelo; é uma pista, não um achado.',
  'Show cell {0} large': 'Mostrar a célula {0} em grande',
  'Parasite: cell {0}': 'Parasita: célula {0}',
  'Not a parasite: cell {0}': 'Não é parasita: célula {0}',
  'Review flagged cells': 'Rever as células assinaladas',
  'No cell is flagged yet. Cells the model finds suspicious appear here; tap any cell in a field to add it.':
    'Ainda não há células assinaladas. As células que o modelo considera suspeitas aparecem aqui; toque numa célula de um campo para a adicionar.',
  '{0} of {1} flagged cells reviewed': '{0} de {1} células assinaladas revistas',
  '{0} parasite · {1} not a parasite · {2} unsure · {3} to do':
    '{0} parasita · {1} não é parasita · {2} incerto · {3} por fazer',
  'Flagged cells, most suspicious first': 'Células assinaladas, as mais suspeitas primeiro',
  'Image {0}: {1}, {2} cells, {3} flagged': 'Imagem {0}: {1}, {2} células, {3} assinaladas',
  '{0} cells · {1} flagged': '{0} células · {1} assinaladas',
  // Report
  'Screening aid only, not a diagnosis. Every result must be confirmed by a trained microscopist before any treatment decision. The classifier can miss parasites and can call artefacts parasites.':
    'Apenas apoio à triagem, não é um diagnóstico. Todo o resultado deve ser confirmado por um microscopista treinado antes de qualquer decisão de tratamento. O classificador pode não detetar parasitas e pode tomar artefactos por parasitas.',
  'The rule was not stored with this verdict (recorded by an earlier version of the app).':
    'A regra não foi guardada com este veredicto (registado por uma versão anterior da aplicação).',
  'Validated on {0} patients: sensitivity {1}, specificity {2}.':
    'Validada em {0} pacientes: sensibilidade {1}, especificidade {2}.',
  'Rule shipped with the model (no patient-level validation figures recorded).':
    'Regra fornecida com o modelo (sem números de validação por paciente registados).',
  'Provisional default rule (the model did not ship a validated rule).':
    'Regra provisória por omissão (o modelo não fornece uma regra validada).',
  'Cells confirmed as parasitized ({0})': 'Células confirmadas como parasitadas ({0})',
  'Confirmed cell from {0}': 'Célula confirmada de {0}',
  'no crop stored': 'nenhuma imagem guardada',
  '… and {0} more (per-cell CSV).': '… e mais {0} (CSV por célula).',
  'Outlines on the images (model):': 'Contornos nas imagens (modelo):',
  'Slide report for {0}': 'Relatório da lâmina {0}',
  'Malaria thin-film screening — slide report': 'Triagem de malária em esfregaço delgado — relatório da lâmina',
  'Clinic / laboratory': 'Unidade de saúde / laboratório',
  'Patient / slide': 'Paciente / lâmina',
  Started: 'Início',
  Ended: 'Fim',
  'Reviewed by': 'Revisto por',
  Images: 'Imagens',
  "(flags cells for review; the result is the reviewer's)": '(assinala células para revisão; o resultado é do revisor)',
  'Slide result': 'Resultado da lâmina',
  Counts: 'Contagens',
  'Model-only estimate from an older version of the app':
    'Estimativa só do modelo, de uma versão anterior da aplicação',
  'This was not reviewed by a person and is not the slide result.':
    'Não foi revista por uma pessoa e não é o resultado da lâmina.',
  Image: 'Imagem',
  Type: 'Tipo',
  Flagged: 'Assinaladas',
  Confirmed: 'Confirmadas',
  Cell: 'Célula',
  '… and {0} more images (see the per-cell CSV).': '… e mais {0} imagens (ver o CSV por célula).',
  'Reviewed by:': 'Revisto por:',
  'Signature:': 'Assinatura:',
  'Date:': 'Data:',
  // Session totals
  'Running totals': 'Totais em curso',
  'Red cells counted': 'Hemácias contadas',
  'Flagged for review': 'Assinaladas para revisão',
  Reviewed: 'Revistas',
  'Parasites confirmed': 'Parasitas confirmados',
  '{0} of {1} red cells counted — target reached': '{0} de {1} hemácias contadas — objetivo atingido',
  '{0} of {1} red cells counted': '{0} de {1} hemácias contadas',
  // Slide view
  'Slide sessions are off: they cannot be saved on this device, and a review that cannot be saved could be lost.':
    'As sessões de lâmina estão desativadas: não podem ser guardadas neste aparelho, e uma revisão que não pode ser guardada pode perder-se.',
  'The Field and Cells views still analyse images, but nothing is saved.':
    'As vistas Campo e Células continuam a analisar imagens, mas nada é guardado.',
  'New slide': 'Nova lâmina',
  'Photograph microscope fields of one thin smear. The app finds the red cells and flags suspicious ones; you confirm or reject each flag, and the slide result comes from what you confirmed.':
    'Fotografe campos microscópicos de um mesmo esfregaço delgado. A aplicação encontra as hemácias e assinala as suspeitas; confirma ou rejeita cada uma, e o resultado da lâmina vem do que confirmou.',
  'Patient or slide identifier': 'Identificador do paciente ou da lâmina',
  'A code only — do not enter names or other personal data.':
    'Apenas um código — não introduza nomes nem outros dados pessoais.',
  'Red cells to count': 'Hemácias a contar',
  'Start slide': 'Iniciar a lâmina',
  'Unfinished slides on this device': 'Lâminas não terminadas neste aparelho',
  'Continue “{0}” · {1} images · started {2}': 'Continuar «{0}» · {1} imagens · iniciada em {2}',
  'Add field photos': 'Adicionar fotos de campos',
  'Choose field photos': 'Escolher fotos de campos',
  'Take a photo': 'Tirar uma foto',
  'Add single-cell images': 'Adicionar imagens de células isoladas',
  "…or drop photos here. Photograph at the camera's full resolution.":
    '…ou largue fotos aqui. Fotografe na resolução máxima da câmara.',
  'The model is loading; photos added now are analysed as soon as it is ready.':
    'O modelo está a carregar; as fotos adicionadas agora serão analisadas assim que estiver pronto.',
  'Model: looks infected': 'Modelo: parece infetada',
  'Model: uncertain': 'Modelo: incerto',
  'You: parasite': 'Você: parasita',
  'You: not a parasite': 'Você: não é parasita',
  'You: unsure': 'Você: incerto',
  'White blood cell': 'Leucócito',
  'Patient / slide:': 'Paciente / lâmina:',
  'Reviewed by (name or initials)': 'Revisto por (nome ou iniciais)',
  'not recorded (sign below)': 'não indicado (assinar abaixo)',
  'Clinic or laboratory (printed on reports)': 'Unidade de saúde ou laboratório (impresso nos relatórios)',
  'End slide and save the result': 'Terminar a lâmina e guardar o resultado',
  'Leave for later': 'Deixar para mais tarde',
  'Ended {0}. Adding a photo or changing a review re-opens the slide.':
    'Terminada em {0}. Adicionar uma foto ou alterar uma revisão reabre a lâmina.',
  'Images in this slide ({0} fields, {1} single cells)': 'Imagens desta lâmina ({0} campos, {1} células isoladas)',
  'Tap a cell to review it (cells the model did not flag are added to the queue).':
    'Toque numa célula para a rever (as células não assinaladas pelo modelo são adicionadas à lista).',
  '… and {0} earlier single-cell images (all counted; flagged ones are in the queue).':
    '… e mais {0} imagens de células isoladas anteriores (todas contadas; as assinaladas estão na lista).',
  'Parasites per µL (optional)': 'Parasitas por µL (opcional)',
  "Patient's blood count": 'Hemograma do paciente',
  'Red-cell count (cells per µL)': 'Contagem de hemácias (por µL)',
  'Haematocrit (%)': 'Hematócrito (%)',
  'Red cells per µL': 'Hemácias por µL',
  'Haematocrit %': 'Hematócrito %',
  'e.g. {0}': 'p. ex. {0}',
  'Parasites per µL are shown with the slide result once a parasite is confirmed; never estimated without a blood count.':
    'Os parasitas por µL aparecem com o resultado quando um parasita é confirmado; nunca são estimados sem hemograma.',
  // Shared words
  Infected: 'Infetada',
  'Not infected': 'Não infetada',
  'Needs review': 'A rever',
  'Not classified': 'Não classificada',
  'Stain debris': 'Resíduos de corante',
  Platelet: 'Plaqueta',
  'Overlapping cell': 'Células sobrepostas',
  'Out of focus': 'Desfocada',
  'the model is not sure': 'o modelo não tem certeza',
  'infection likelihood between {0} and {1}: check by microscopy':
    'probabilidade de infeção entre {0} e {1}: confirmar ao microscópio',
  // Image intake messages (translated at the screen by src/ui/core-text.ts)
  'The image was not added.': 'A imagem não foi adicionada.',
  'It was not counted.': 'Não foi contada.',
  'No cells found in this image. Check that it is a thin blood smear photographed through the microscope.':
    'Nenhuma célula encontrada nesta imagem. Verifique se é um esfregaço sanguíneo delgado fotografado ao microscópio.',
  'Could not decode the image: the file is damaged or in a format this browser cannot read.':
    'Não foi possível ler a imagem: o ficheiro está danificado ou num formato que este navegador não lê.',
  'The file is empty (0 bytes).': 'O ficheiro está vazio (0 bytes).',
  'Not an image: the file is not PNG, JPEG, WebP, GIF, BMP or AVIF.':
    'Não é uma imagem: o ficheiro não é PNG, JPEG, WebP, GIF, BMP nem AVIF.',
  'SVG is a vector drawing, not a microscope photo; it cannot be classified. Use PNG, JPEG or WebP.':
    'Um SVG é um desenho vetorial, não uma foto de microscópio; não pode ser classificado. Use PNG, JPEG ou WebP.',
  'TIFF images are a format not supported by this browser. Use PNG, JPEG or WebP.':
    'Este navegador não suporta imagens TIFF. Use PNG, JPEG ou WebP.',
  'Could not classify this image ({0}).': 'Não foi possível classificar esta imagem ({0}).',
  'Could not analyse this image ({0}).': 'Não foi possível analisar esta imagem ({0}).',
  'This looks like a whole field, not a single red-cell image: {0}. Analyse it in the Field tab.':
    'Isto parece um campo inteiro, não a imagem de uma única hemácia: {0}. Analise-a no separador Campo.',
  'Not a single red-cell image: {0}.': 'Não é a imagem de uma única hemácia: {0}.',
  'not saved ({0}).': 'não guardada ({0}).',
  // Not a red cell (issue 17): platelets, stain debris, fragments, non-cell images
  'Not a red cell (artefact)': 'Não é uma hemácia (artefacto)',
  'Not red cells (artefacts)': 'Não são hemácias (artefactos)',
  '{0} not red cells (artefacts)': '{0} não hemácias (artefactos)',
  'Not counted as a red cell.': 'Não contado como hemácia.',
  'Not a red cell (artefact): a platelet, stain debris or a fragment. Not counted, not classified.':
    'Não é uma hemácia (artefacto): uma plaqueta, um depósito de corante ou um fragmento. Não contado, não classificado.',
  // Field map keyboard navigation and tap feedback (session-field-map)
  'With a keyboard: Tab to an image, move between its cells with the arrow keys, and press Enter to add the outlined cell.':
    'Com teclado: Tab até uma imagem, as setas para passar de uma célula para outra, Enter para adicionar a célula contornada.',
  'White blood cells are not counted as red cells and are not reviewed':
    'Os leucócitos não são contados como hemácias e não são revistos',
  'Not a red cell (platelet, debris): not counted': 'Não é uma hemácia (plaqueta, detrito): não contada',
  'Cell {0} of {1}: {2}': 'Célula {0} de {1}: {2}',
  '{0}, likelihood {1}; in the review ({2}); Enter shows it there':
    '{0}, probabilidade {1}; na lista de revisão ({2}); Enter mostra-a lá',
  '{0}, likelihood {1}; Enter adds it to the review': '{0}, probabilidade {1}; Enter adiciona-a à lista de revisão',
  'Cell {0} shown in the review': 'Célula {0} mostrada na lista de revisão',
  'Cell {0} added to the review': 'Célula {0} adicionada à lista de revisão',
  'Cells of image {0}: the arrow keys move between cells, Enter adds the outlined cell to the review':
    'Células da imagem {0}: as setas passam de uma célula para outra, Enter adiciona a célula contornada à lista de revisão',
  // Report thumbnails: the model's calls, said as the model's
  'model: {0}': 'modelo: {0}',
  '{0} flagged as Infected': '{0} assinalada(s) como «Infetada»',
  '{0} flagged as Needs review': '{0} assinalada(s) como «A rever»',
};
