/**
 * French translations (issue 14), keyed by the English source text of each msg() in src/
 * (`{0}`, `{1}`… = the values, in the English order; a translation may reorder them).
 * Medical terms: parasitémie, hématies (red cells), globules blancs, frottis mince.
 * src/locales/locales.test.ts checks this table is complete and fully translated.
 */
import type { TranslationTable } from '../i18n/templates.js';

export const fr: TranslationTable = {
  // PWA status
  'Ready to work offline': 'Prête à fonctionner hors ligne',
  'A new version is available': 'Une nouvelle version est disponible',
  'A new version is available — will reload when the batch finishes':
    'Une nouvelle version est disponible — rechargement à la fin du lot en cours',
  'Updating to the new version…': 'Mise à jour vers la nouvelle version…',
  'Offline mode unavailable: {0}': 'Mode hors ligne indisponible : {0}',
  'unknown error': 'erreur inconnue',
  'Offline · works offline': 'Hors ligne · fonctionne hors ligne',
  'No network. Everything runs on this device; nothing is lost.':
    'Pas de réseau. Tout fonctionne sur cet appareil ; rien n’est perdu.',
  Offline: 'Hors ligne',
  'No network, and offline use is not set up yet: reload once with a network.':
    'Pas de réseau, et l’usage hors ligne n’est pas encore prêt : rechargez une fois avec du réseau.',
  'Works offline': 'Fonctionne hors ligne',
  'The app and the model are stored on this device; no network needed.':
    'L’application et le modèle sont enregistrés sur cet appareil ; aucun réseau n’est nécessaire.',
  'Setting up offline use…': 'Préparation de l’usage hors ligne…',
  'Keep the network until the app says it is ready to work offline.':
    'Gardez le réseau jusqu’à ce que l’application indique qu’elle est prête hors ligne.',
  'Needs network': 'Réseau nécessaire',
  'Offline use is unavailable in this browser or build.':
    'L’usage hors ligne n’est pas disponible dans ce navigateur ou cette version.',
  Reload: 'Recharger',
  'Reload pending': 'Rechargement en attente',
  'Install app': 'Installer l’application',
  // Cells view
  'Classification progress': 'Progression de la classification',
  '{0} / {1} classified': '{0} / {1} classées',
  Cancel: 'Annuler',
  'Camera permission was refused.': 'L’accès à la caméra a été refusé.',
  'No camera was found on this device.': 'Aucune caméra n’a été trouvée sur cet appareil.',
  'The camera is in use by another app.': 'La caméra est utilisée par une autre application.',
  'The live camera is not available here.': 'La caméra en direct n’est pas disponible ici.',
  'This browser has no live camera access.': 'Ce navigateur n’a pas accès à la caméra en direct.',
  Camera: 'Caméra',
  'Starting camera…': 'Démarrage de la caméra…',
  'Capture cell': 'Capturer la cellule',
  'Close camera': 'Fermer la caméra',
  'Centre one red cell in the picture, then capture.': 'Centrez une hématie dans l’image, puis capturez.',
  "You can still take a photo with the device's camera app:":
    'Vous pouvez quand même prendre une photo avec l’appareil photo de l’appareil :',
  'Take photo': 'Prendre une photo',
  Close: 'Fermer',
  '{0} image(s) waiting for the model to load…': '{0} image(s) en attente du chargement du modèle…',
  'Cancelled: {0} image(s) were not classified. Results so far are kept.':
    'Annulé : {0} image(s) non classée(s). Les résultats obtenus sont conservés.',
  'Classification stopped: {0}. Results so far are kept.':
    'Classification interrompue : {0}. Les résultats obtenus sont conservés.',
  'pasted image': 'image collée',
  'Choose cell images…': 'Choisir des images de cellules…',
  '…or drop images or folders anywhere on this page, or paste an image.':
    '…ou déposez des images ou des dossiers n’importe où sur cette page, ou collez une image.',
  'Clear results': 'Effacer les résultats',
  'Classification results': 'Résultats de la classification',
  'Could not classify this file.': 'Impossible de classer ce fichier.',
  'Infection likelihood {0}': 'Probabilité d’infection {0}',
  'Infection likelihood': 'Probabilité d’infection',
  'Share infected': 'Part infectée',
  '{0} of {1} red cells called Infected by the model; 95% interval {2} – {3}.':
    '{0} hématies sur {1} classées infectées par le modèle ; intervalle à 95 % {2} – {3}.',
  '1 more cell needs review: up to {0} if it is infected.':
    'Une hématie de plus est à vérifier : jusqu’à {0} si elle est infectée.',
  '{0} more cells need review: up to {1} if all are infected.':
    '{0} hématies de plus sont à vérifier : jusqu’à {1} si toutes sont infectées.',
  // Messages from the session controller
  'Enter a patient or slide identifier.': 'Saisissez un identifiant de patient ou de lame.',
  'This session was deleted on this device (Records or another tab).':
    'Cette session a été supprimée sur cet appareil (Dossiers ou un autre onglet).',
  'Records storage is not available on this device, so the session cannot be saved.':
    'Le stockage des dossiers n’est pas disponible sur cet appareil : la session ne peut pas être enregistrée.',
  'This session no longer exists (it was deleted).': 'Cette session n’existe plus (elle a été supprimée).',
  'The model could not be loaded, so images cannot be analysed. Reload to try again.':
    'Le modèle n’a pas pu être chargé : les images ne peuvent pas être analysées. Rechargez pour réessayer.',
  'This cell is no longer in the session.': 'Cette cellule ne fait plus partie de la session.',
  'Waiting for the model to load before analysing {0}…': 'Attente du chargement du modèle avant d’analyser {0}…',
  'Analysing {0} ({1} of {2})…': 'Analyse de {0} ({1} sur {2})…',
  'Waiting for the model to load…': 'Attente du chargement du modèle…',
  'Red-cell count must be between 100,000 and 10,000,000 per µL (e.g. 4,500,000).':
    'La numération des hématies doit être comprise entre 100 000 et 10 000 000 par µL (p. ex. 4 500 000).',
  'Haematocrit must be a percentage between 1 and 80 (e.g. 38).':
    'L’hématocrite doit être un pourcentage entre 1 et 80 (p. ex. 38).',
  'Red cells to count must be a whole number from 1 to 1,000,000 (e.g. 1000).':
    'Le nombre d’hématies à compter doit être un nombre entier de 1 à 1 000 000 (p. ex. 1000).',
  'No reviewer named: the result is saved without a name, and the printed report leaves a line to sign. Enter them in “Reviewed by” above.':
    'Aucun relecteur indiqué : le résultat est enregistré sans nom, et le rapport imprimé laisse une ligne pour signer. Saisissez le nom ou les initiales dans « Relu par » ci-dessus.',
  'This photo is already in this slide (image {0}, “{1}”), so its cells would be counted twice.':
    'Cette photo est déjà dans cette lame (image {0}, « {1} ») : ses cellules seraient comptées deux fois.',
  'date unknown': 'date inconnue',
  // Diagnostics (About)
  'Model not loaded yet.': 'Modèle pas encore chargé.',
  'Engine (backend)': 'Moteur de calcul',
  Why: 'Raison',
  'WebGL renderer': 'Rendu WebGL',
  'Runs in': 'S’exécute dans',
  'a background worker': 'un worker en arrière-plan',
  'the page (fallback)': 'la page (solution de repli)',
  'Cross-origin isolated': 'Isolation cross-origin',
  Model: 'Modèle',
  'Inference rewrites': 'Optimisations de l’inférence',
  Input: 'Entrée',
  'Decision rule': 'Règle de décision',
  'Infected if the likelihood is {0} or more; needs review if it is above {1} and below {2}; not infected if it is {3} or less':
    'Infectée si la probabilité est de {0} ou plus ; à vérifier si elle est supérieure à {1} et inférieure à {2} ; non infectée si elle est de {3} ou moins',
  'Infected if the likelihood is {0} or more; not infected below {1}':
    'Infectée si la probabilité est de {0} ou plus ; non infectée en dessous de {1}',
  'Load time': 'Temps de chargement',
  'Backend changes': 'Changements de moteur',
  'Live tensors': 'Tenseurs actifs',
  Refresh: 'Actualiser',
  // Field view
  'Reading the image…': 'Lecture de l’image…',
  'The model is not loaded yet: cells were found but not classified (all shown as needing review).':
    'Le modèle n’est pas encore chargé : les cellules ont été trouvées mais pas classées (toutes affichées « à vérifier »).',
  'Finding cells…': 'Recherche des cellules…',
  'Classifying cells: {0} of {1}': 'Classification des cellules : {0} sur {1}',
  'Field totals': 'Totaux du champ',
  'Red cells': 'Hématies',
  'White blood cells': 'Globules blancs',
  Parasitaemia: 'Parasitémie',
  'Outline legend': 'Légende des contours',
  'Export…': 'Exporter…',
  'Export format': 'Format d’export',
  'Technical details': 'Détails techniques',
  'Choose field photo': 'Choisir une photo de champ',
  'Always analyse as a whole field': 'Toujours analyser comme un champ entier',
  'Drop a whole-field microscope photo here (thin smear, 100× objective; take it at the camera’s full resolution).':
    'Déposez ici une photo d’un champ entier au microscope (frottis mince, objectif 100× ; prise à la pleine résolution de l’appareil).',
  '({0} more photo(s) waiting)': '({0} autre(s) photo(s) en attente)',
  '{0} looks like a single cell, not a whole field. Classify it in the Cells tab, or':
    '{0} semble montrer une seule cellule, pas un champ entier. Classez-la dans l’onglet Cellules, ou',
  '{0} is neither a whole-field photo nor a single red cell ({1}). Check that it is a thin blood smear photographed through the microscope, or':
    '{0} n’est ni la photo d’un champ entier ni une hématie isolée ({1}). Vérifiez qu’il s’agit d’un frottis mince photographié au microscope, ou',
  'This image': 'Cette image',
  'analyse as a field anyway': 'analysez-la quand même comme un champ',
  'Photos analysed': 'Photos analysées',
  'Photos analysed ({0})': 'Photos analysées ({0})',
  '{0} red cells, {1} infected': '{0} hématies, {1} infectées',
  'not analysed': 'non analysée',
  'Tap or click a cell to see its crop and infection likelihood.':
    'Touchez ou cliquez une cellule pour voir son image et sa probabilité d’infection.',
  'Crop of cell {0} as the model saw it': 'Image de la cellule {0} telle que le modèle l’a vue',
  'Cell {0}': 'Cellule {0}',
  'White blood cell (not counted)': 'Globule blanc (non compté)',
  'Centre ({0}, {1}) px': 'Centre ({0}, {1}) px',
  'Field with {0} outlined cells. Drag or arrow keys to pan, wheel, pinch or +/− to zoom, n/p to step through cells, tap a cell for details.':
    'Champ avec {0} cellules entourées. Glissez ou flèches pour vous déplacer, molette, pincement ou +/− pour zoomer, n/p pour passer d’une cellule à l’autre, touchez une cellule pour les détails.',
  'Zoom in': 'Zoom avant',
  'Zoom out': 'Zoom arrière',
  'Show whole field': 'Afficher le champ entier',
  'Image {0}: {1}. {2}': 'Image {0} : {1}. {2}',
  'no cells': 'aucune cellule',
  'No image stored': 'Aucune image enregistrée',
  // App shell
  Slide: 'Lame',
  Field: 'Champ',
  Cells: 'Cellules',
  Records: 'Dossiers',
  'Loading the model…': 'Chargement du modèle…',
  'Downloading the model…': 'Téléchargement du modèle…',
  'Choosing the fastest engine for this device…': 'Choix du moteur le plus rapide pour cet appareil…',
  'Warming up…': 'Préparation…',
  Ready: 'Prêt',
  'The model could not be loaded.': 'Le modèle n’a pas pu être chargé.',
  'Try again': 'Réessayer',
  'Model loading': 'Chargement du modèle',
  'About this app': 'À propos de cette application',
  'Malaria Screen flags red cells that may be infected in photos of thin blood smears. Everything runs on this device.':
    'Malaria Screen signale les hématies possiblement infectées sur des photos de frottis sanguins minces. Tout fonctionne sur cet appareil.',
  Engine: 'Moteur',
  'App build': 'Version de l’application',
  Language: 'Langue',
  'About / diagnostics': 'À propos / diagnostic',
  Views: 'Vues',
  'Drop images to classify': 'Déposez les images à classer',
  'Screening aid, not a diagnosis.': 'Aide au dépistage, pas un diagnostic.',
  'Every result must be confirmed by a trained microscopist before any treatment decision.':
    'Tout résultat doit être confirmé par un microscopiste formé avant toute décision de traitement.',
  // Records
  Positive: 'Positif',
  Negative: 'Négatif',
  'Ended, not finished': 'Terminée, incomplète',
  ', {0} imported as separate copies': ', {0} importée(s) comme copies séparées',
  ', {0} re-opened': ', {0} rouverte(s)',
  '{0} new sessions, {1} updated, {2} already here{3}{4}; {5} images added, {6} reviews updated.':
    '{0} nouvelle(s) session(s), {1} mise(s) à jour, {2} déjà présente(s){3}{4} ; {5} image(s) ajoutée(s), {6} relecture(s) mise(s) à jour.',
  '{0} session was left out because a stored value is invalid or out of range: {1}{2}. Open it in the list below to check it, then delete it.':
    '{0} session a été exclue car une valeur enregistrée est invalide ou hors limites : {1}{2}. Ouvrez-la dans la liste ci-dessous pour la vérifier, puis supprimez-la.',
  '{0} sessions were left out because a stored value is invalid or out of range: {1}{2}. Open it in the list below to check it, then delete it.':
    '{0} sessions ont été exclues car une valeur enregistrée est invalide ou hors limites : {1}{2}. Ouvrez-les dans la liste ci-dessous pour les vérifier, puis supprimez-les.',
  '{0} image(s) without a session left out.': '{0} image(s) sans session exclue(s).',
  'Exported {0} session ({1}).': '{0} session exportée ({1}).',
  'Exported {0} sessions ({1}).': '{0} sessions exportées ({1}).',
  'Exported {0} session with {1}.': '{0} session exportée avec {1}.',
  'Exported {0} sessions with {1}.': '{0} sessions exportées avec {1}.',
  '{0} image': '{0} image',
  '{0} images': '{0} images',
  'You can also drop an archive file (.json) on this page to import it.':
    'Vous pouvez aussi déposer un fichier d’archive (.json) sur cette page pour l’importer.',
  'Reopen to correct': 'Rouvrir pour corriger',
  'This file is not valid JSON, so it is not a records archive.':
    'Ce fichier n’est pas du JSON valide : ce n’est donc pas une archive de dossiers.',
  'This file is not a records archive from this app.':
    'Ce fichier n’est pas une archive de dossiers de cette application.',
  'Archive format version {0} is not supported by this version of the app.':
    'La version {0} du format d’archive n’est pas prise en charge par cette version de l’application.',
  'Archive schema version {0} is not supported by this version of the app (it reads versions {1} and {2}).':
    'La version {0} du schéma d’archive n’est pas prise en charge par cette version de l’application (elle lit les versions {1} et {2}).',
  'Not a valid records archive. The file was not imported:':
    'Archive de dossiers non valide. Le fichier n’a pas été importé. Détail technique :',
  'Deleted the session “{0}”.': 'Session « {0} » supprimée.',
  'All records were deleted from this device.': 'Tous les dossiers ont été supprimés de cet appareil.',
  'sessions CSV': 'CSV des sessions',
  'per-cell CSV': 'CSV par cellule',
  'Imported {0}: {1}': '{0} importé : {1}',
  'Recomputed from the cells: {0}': 'Recalculé à partir des cellules : {0}',
  'The browser will keep these records even when storage runs low.':
    'Le navigateur conservera ces dossiers même si l’espace vient à manquer.',
  'The browser declined persistent storage (installing the app usually allows it). Export regularly.':
    'Le navigateur a refusé le stockage persistant (installer l’application le permet en général). Exportez régulièrement.',
  'This browser cannot make storage persistent. Export regularly.':
    'Ce navigateur ne peut pas rendre le stockage persistant. Exportez régulièrement.',
  'Records on this device': 'Dossiers sur cet appareil',
  'Search by identifier': 'Rechercher par identifiant',
  'Sessions CSV': 'CSV des sessions',
  'Per-cell CSV': 'CSV par cellule',
  'Export archive (JSON)': 'Exporter l’archive (JSON)',
  'Import archive': 'Importer une archive',
  'Delete the damaged record': 'Supprimer le dossier endommagé',
  'Sessions ({0} matching “{1}”)': 'Sessions ({0} correspondant à « {1} »)',
  'Sessions ({0})': 'Sessions ({0})',
  'No session matches this identifier.': 'Aucune session ne correspond à cet identifiant.',
  'No sessions saved yet.': 'Aucune session enregistrée pour l’instant.',
  'Delete all {0} sessions from this device? This cannot be undone; export first if unsure.':
    'Supprimer les {0} sessions de cet appareil ? C’est irréversible ; exportez d’abord en cas de doute.',
  'Delete all': 'Tout supprimer',
  'Delete all records…': 'Supprimer tous les dossiers…',
  'Storage used: {0} of {1} available.': 'Stockage utilisé : {0} sur {1} disponibles.',
  'Storage used: {0}.': 'Stockage utilisé : {0}.',
  'Records are kept persistently.': 'Les dossiers sont conservés de façon persistante.',
  'Records may be cleared by the browser when space runs low.':
    'Le navigateur peut effacer les dossiers si l’espace vient à manquer.',
  'Keep records on this device': 'Conserver les dossiers sur cet appareil',
  'red cells': 'hématies',
  flagged: 'signalées',
  'not reviewed': 'non relues',
  confirmed: 'confirmées',
  'Ended, not reviewed': 'Terminée, non relue',
  'In progress': 'En cours',
  'Damaged record, left out of exports: {0}.': 'Dossier endommagé, exclu des exports : {0}.',
  'The damaged record was deleted.': 'Le dossier endommagé a été supprimé.',
  'Session “{0}”': 'Session « {0} »',
  "This slide's saved counts disagreed with its cells and were recounted from them:":
    'Les comptes enregistrés de cette lame ne correspondaient pas à ses cellules et ont été recomptés :',
  'Print report': 'Imprimer le rapport',
  'Delete this session?': 'Supprimer cette session ?',
  Delete: 'Supprimer',
  'Delete…': 'Supprimer…',
  // Slide result
  'Not finished': 'Non terminé',
  '{0} red cell': '{0} hématie',
  '{0} red cells': '{0} hématies',
  '{0} flagged cell': '{0} cellule signalée',
  '{0} flagged cells': '{0} cellules signalées',
  '{0} more red cell to reach the target of {1}': 'encore {0} hématie pour atteindre l’objectif de {1}',
  '{0} more red cells to reach the target of {1}': 'encore {0} hématies pour atteindre l’objectif de {1}',
  '{0} flagged cell not reviewed yet': '{0} cellule signalée pas encore relue',
  '{0} flagged cells not reviewed yet': '{0} cellules signalées pas encore relues',
  '{0} cell marked unsure: decide after looking again':
    '{0} cellule marquée « incertaine » : à trancher après un nouvel examen',
  '{0} cells marked unsure: decide after looking again':
    '{0} cellules marquées « incertaines » : à trancher après un nouvel examen',
  '{0} parasitized red cell': '{0} hématie parasitée',
  '{0} parasitized red cells': '{0} hématies parasitées',
  '{0} confirmed by the reviewer among {1} counted.': '{0} confirmée(s) par le lecteur parmi {1} comptées.',
  'No parasites found in {0} screened by the model ({1} checked and rejected by the reviewer).':
    'Aucun parasite trouvé parmi {0} examinée(s) par le modèle ({1} vérifiée(s) et écartée(s) par le lecteur).',
  'No parasites found in {0} screened by the model (none was flagged for review).':
    'Aucun parasite trouvé parmi {0} examinée(s) par le modèle (aucune n’a été signalée pour relecture).',
  'No parasite confirmed yet; still needed: {0}.': 'Aucun parasite confirmé pour l’instant ; reste à faire : {0}.',
  '{0} RBC/µL': '{0} hématies/µL',
  '({0}% × 10⁷ ÷ {1} fL = {2} RBC/µL)': '({0} % × 10⁷ ÷ {1} fL = {2} hématies/µL)',
  '{0} parasitized ÷ {1} red cells × {2} = {3} /µL': '{0} parasitée(s) ÷ {1} hématies × {2} = {3} /µL',
  '95% interval {0} – {1}': 'intervalle à 95 % {0} – {1}',
  '{0} confirmed parasitized of {1} red cells; Wilson score interval.':
    '{0} hématie(s) parasitée(s) confirmée(s) sur {1} ; intervalle de Wilson.',
  'Too few cells to quantify:': 'Trop peu de cellules pour quantifier :',
  'at this density count {0} red cells (WHO practice), {1} more.':
    'à cette densité, comptez {0} hématies (pratique OMS), soit {1} de plus.',
  'parasitized red cells per µL': 'hématies parasitées par µL',
  'The model ships no measured share of parasites it flags, so the detection limit of this count is not stated.':
    'Le modèle ne fournit pas la part mesurée des parasites qu’il signale : la limite de détection de ce comptage n’est pas indiquée.',
  'Detection limit of this count: a parasitaemia of {0} or more would have put at least one parasitized cell in front of you with 95% probability ({1} red cells; the model flags {2} of parasitized cells on test patients).':
    'Limite de détection de ce comptage : une parasitémie de {0} ou plus vous aurait présenté au moins une hématie parasitée avec une probabilité de 95 % ({1} hématies ; le modèle signale {2} des hématies parasitées chez les patients de test).',
  'Basis: {0} red cells counted (target {1}); {2} flagged for review: {3} parasite, {4} not a parasite, {5} unsure, {6} not reviewed.':
    'Base : {0} hématies comptées (objectif {1}) ; {2} signalées pour relecture : {3} parasite(s), {4} non parasite(s), {5} incertaine(s), {6} non relue(s).',
  'The result comes from your review, not from the model alone.':
    'Le résultat vient de votre relecture, pas du modèle seul.',
  // Review queue
  'Not reviewed': 'Non relue',
  Parasite: 'Parasite',
  'Not a parasite': 'Pas un parasite',
  Unsure: 'Incertain',
  'looks infected': 'semble infectée',
  uncertain: 'incertain',
  'looks healthy (added by you)': 'semble saine (ajoutée par vous)',
  'white blood cell': 'globule blanc',
  'Current cell. Keys: P parasite, N not a parasite, U unsure, arrows previous and next, Z undo':
    'Cellule en cours. Touches : P parasite, N pas un parasite, U incertain, flèches précédente et suivante, Z annuler',
  'Cell {0} of {1} from {2}, circled; shaded where the model looked':
    'Cellule {0} sur {1} de {2}, entourée ; zones regardées par le modèle ombrées',
  'Cell {0} of {1} from {2}, circled': 'Cellule {0} sur {1} de {2}, entourée',
  'Cell {0} of {1} · image {2} ({3})': 'Cellule {0} sur {1} · image {2} ({3})',
  'Model:': 'Modèle :',
  'infection likelihood {0}': 'probabilité d’infection {0}',
  'Your review:': 'Votre relecture :',
  'Parasite (P)': 'Parasite (P)',
  'Not a parasite (N)': 'Pas un parasite (N)',
  'Unsure (U)': 'Incertain (U)',
  'Reason if not a parasite (optional)': 'Motif si ce n’est pas un parasite (facultatif)',
  'No reason given': 'Aucun motif',
  'Show where the model looked': 'Montrer où le modèle a regardé',
  Previous: 'Précédente',
  Next: 'Suivante',
  'Undo (Z)': 'Annuler (Z)',
  'Show in its field': 'Voir dans son champ',
  "Swipe the picture left or right for the next or previous cell. The shading marks the pixels that most raised the model's estimate; it is a hint, not a finding.":
    'Faites glisser l’image vers la gauche ou la droite pour la cellule suivante ou précédente. L’ombrage marque les pixels qui ont le plus augmenté l’estimation du modèle ; c’est un indice, pas une observation.',
  'Show cell {0} large': 'Afficher la cellule {0} en grand',
  'Parasite: cell {0}': 'Parasite : cellule {0}',
  'Not a parasite: cell {0}': 'Pas un parasite : cellule {0}',
  'Review flagged cells': 'Relire les cellules signalées',
  'No cell is flagged yet. Cells the model finds suspicious appear here; tap any cell in a field to add it.':
    'Aucune cellule signalée pour l’instant. Les cellules jugées suspectes par le modèle apparaissent ici ; touchez une cellule d’un champ pour l’ajouter.',
  '{0} of {1} flagged cells reviewed': '{0} sur {1} cellules signalées relues',
  '{0} parasite · {1} not a parasite · {2} unsure · {3} to do':
    '{0} parasite · {1} pas un parasite · {2} incertain · {3} à faire',
  'Flagged cells, most suspicious first': 'Cellules signalées, les plus suspectes d’abord',
  'Image {0}: {1}, {2} cells, {3} flagged': 'Image {0} : {1}, {2} cellules, {3} signalées',
  '{0} cells · {1} flagged': '{0} cellules · {1} signalées',
  // Report
  'Screening aid only, not a diagnosis. Every result must be confirmed by a trained microscopist before any treatment decision. The classifier can miss parasites and can call artefacts parasites.':
    'Aide au dépistage uniquement, pas un diagnostic. Tout résultat doit être confirmé par un microscopiste formé avant toute décision de traitement. Le classificateur peut manquer des parasites et prendre des artefacts pour des parasites.',
  'The rule was not stored with this verdict (recorded by an earlier version of the app).':
    'La règle n’a pas été enregistrée avec ce verdict (enregistré par une version antérieure de l’application).',
  'Validated on {0} patients: sensitivity {1}, specificity {2}.':
    'Validée sur {0} patients : sensibilité {1}, spécificité {2}.',
  'Rule shipped with the model (no patient-level validation figures recorded).':
    'Règle fournie avec le modèle (aucun chiffre de validation par patient enregistré).',
  'Provisional default rule (the model did not ship a validated rule).':
    'Règle provisoire par défaut (le modèle ne fournit pas de règle validée).',
  'Cells confirmed as parasitized ({0})': 'Cellules confirmées parasitées ({0})',
  'Confirmed cell from {0}': 'Cellule confirmée de {0}',
  'no crop stored': 'aucune image enregistrée',
  '… and {0} more (per-cell CSV).': '… et {0} de plus (CSV par cellule).',
  'Outlines on the images (model):': 'Contours sur les images (modèle) :',
  'Slide report for {0}': 'Rapport de lame pour {0}',
  'Malaria thin-film screening — slide report': 'Dépistage du paludisme sur frottis mince — rapport de lame',
  'Clinic / laboratory': 'Centre de santé / laboratoire',
  'Patient / slide': 'Patient / lame',
  Started: 'Début',
  Ended: 'Fin',
  'Reviewed by': 'Relu par',
  Images: 'Images',
  "(flags cells for review; the result is the reviewer's)":
    '(signale des cellules à relire ; le résultat est celui du lecteur)',
  'Slide result': 'Résultat de la lame',
  Counts: 'Comptages',
  'Model-only estimate from an older version of the app':
    'Estimation du modèle seul, par une version antérieure de l’application',
  'This was not reviewed by a person and is not the slide result.':
    'Elle n’a pas été relue par une personne et n’est pas le résultat de la lame.',
  Image: 'Image',
  Type: 'Type',
  Flagged: 'Signalées',
  Confirmed: 'Confirmées',
  Cell: 'Cellule',
  '… and {0} more images (see the per-cell CSV).': '… et {0} autres images (voir le CSV par cellule).',
  'Reviewed by:': 'Relu par :',
  'Signature:': 'Signature :',
  'Date:': 'Date :',
  // Session totals
  'Running totals': 'Totaux en cours',
  'Red cells counted': 'Hématies comptées',
  'Flagged for review': 'Signalées pour relecture',
  Reviewed: 'Relues',
  'Parasites confirmed': 'Parasites confirmés',
  '{0} of {1} red cells counted — target reached': '{0} sur {1} hématies comptées — objectif atteint',
  '{0} of {1} red cells counted': '{0} sur {1} hématies comptées',
  // Slide view
  'Slide sessions are off: they cannot be saved on this device, and a review that cannot be saved could be lost.':
    'Les sessions de lame sont désactivées : elles ne peuvent pas être enregistrées sur cet appareil, et une relecture non enregistrée pourrait être perdue.',
  'The Field and Cells views still analyse images, but nothing is saved.':
    'Les vues Champ et Cellules analysent toujours les images, mais rien n’est enregistré.',
  'New slide': 'Nouvelle lame',
  'Photograph microscope fields of one thin smear. The app finds the red cells and flags suspicious ones; you confirm or reject each flag, and the slide result comes from what you confirmed.':
    'Photographiez des champs microscopiques d’un même frottis mince. L’application trouve les hématies et signale celles qui sont suspectes ; vous confirmez ou écartez chaque signalement, et le résultat de la lame découle de ce que vous avez confirmé.',
  'Patient or slide identifier': 'Identifiant du patient ou de la lame',
  'A code only — do not enter names or other personal data.':
    'Un code uniquement — ne saisissez ni nom ni autre donnée personnelle.',
  'Red cells to count': 'Hématies à compter',
  'Start slide': 'Commencer la lame',
  'Unfinished slides on this device': 'Lames non terminées sur cet appareil',
  'Continue “{0}” · {1} images · started {2}': 'Reprendre « {0} » · {1} images · commencée le {2}',
  'Add field photos': 'Ajouter des photos de champs',
  'Choose field photos': 'Choisir des photos de champs',
  'Take a photo': 'Prendre une photo',
  'Add single-cell images': 'Ajouter des images de cellules isolées',
  "…or drop photos here. Photograph at the camera's full resolution.":
    '…ou déposez des photos ici. Photographiez à la pleine résolution de l’appareil.',
  'The model is loading; photos added now are analysed as soon as it is ready.':
    'Le modèle se charge ; les photos ajoutées maintenant seront analysées dès qu’il sera prêt.',
  'Model: looks infected': 'Modèle : semble infectée',
  'Model: uncertain': 'Modèle : incertain',
  'You: parasite': 'Vous : parasite',
  'You: not a parasite': 'Vous : pas un parasite',
  'You: unsure': 'Vous : incertain',
  'White blood cell': 'Globule blanc',
  'Patient / slide:': 'Patient / lame :',
  'Reviewed by (name or initials)': 'Relu par (nom ou initiales)',
  'not recorded (sign below)': 'non indiqué (signer ci-dessous)',
  'Clinic or laboratory (printed on reports)': 'Centre de santé ou laboratoire (imprimé sur les rapports)',
  'End slide and save the result': 'Terminer la lame et enregistrer le résultat',
  'Leave for later': 'Reprendre plus tard',
  'Ended {0}. Adding a photo or changing a review re-opens the slide.':
    'Terminée le {0}. Ajouter une photo ou modifier une relecture rouvre la lame.',
  'Images in this slide ({0} fields, {1} single cells)': 'Images de cette lame ({0} champs, {1} cellules isolées)',
  'Tap a cell to review it (cells the model did not flag are added to the queue).':
    'Touchez une cellule pour la relire (les cellules non signalées par le modèle sont ajoutées à la liste).',
  '… and {0} earlier single-cell images (all counted; flagged ones are in the queue).':
    '… et {0} images de cellules isolées plus anciennes (toutes comptées ; celles signalées sont dans la liste).',
  'Parasites per µL (optional)': 'Parasites par µL (facultatif)',
  "Patient's blood count": 'Numération sanguine du patient',
  'Red-cell count (cells per µL)': 'Numération des hématies (par µL)',
  'Haematocrit (%)': 'Hématocrite (%)',
  'Red cells per µL': 'Hématies par µL',
  'Haematocrit %': 'Hématocrite %',
  'e.g. {0}': 'p. ex. {0}',
  'Parasites per µL are shown with the slide result once a parasite is confirmed; never estimated without a blood count.':
    'Les parasites par µL s’affichent avec le résultat dès qu’un parasite est confirmé ; jamais estimés sans numération sanguine.',
  // Shared words
  Infected: 'Infectée',
  'Not infected': 'Non infectée',
  'Needs review': 'À vérifier',
  'Not classified': 'Non classée',
  'Stain debris': 'Débris de colorant',
  Platelet: 'Plaquette',
  'Overlapping cell': 'Cellules superposées',
  'Out of focus': 'Floue',
  'the model is not sure': 'le modèle n’est pas sûr',
  'infection likelihood between {0} and {1}: check by microscopy':
    'probabilité d’infection entre {0} et {1} : à vérifier au microscope',
  // Image intake messages (translated at the screen by src/ui/core-text.ts)
  'The image was not added.': 'L’image n’a pas été ajoutée.',
  'It was not counted.': 'Elle n’a pas été comptée.',
  'No cells found in this image. Check that it is a thin blood smear photographed through the microscope.':
    'Aucune cellule trouvée dans cette image. Vérifiez qu’il s’agit d’un frottis sanguin mince photographié au microscope.',
  'Could not decode the image: the file is damaged or in a format this browser cannot read.':
    'Impossible de lire l’image : le fichier est endommagé ou dans un format que ce navigateur ne sait pas lire.',
  'The file is empty (0 bytes).': 'Le fichier est vide (0 octet).',
  'Not an image: the file is not PNG, JPEG, WebP, GIF, BMP or AVIF.':
    'Ce n’est pas une image : le fichier n’est ni PNG, ni JPEG, ni WebP, ni GIF, ni BMP, ni AVIF.',
  'SVG is a vector drawing, not a microscope photo; it cannot be classified. Use PNG, JPEG or WebP.':
    'Un SVG est un dessin vectoriel, pas une photo de microscope ; il ne peut pas être classé. Utilisez PNG, JPEG ou WebP.',
  'TIFF images are a format not supported by this browser. Use PNG, JPEG or WebP.':
    'Ce navigateur ne prend pas en charge les images TIFF. Utilisez PNG, JPEG ou WebP.',
  'Could not classify this image ({0}).': 'Impossible de classer cette image ({0}).',
  'Could not analyse this image ({0}).': 'Impossible d’analyser cette image ({0}).',
  'This looks like a whole field, not a single red-cell image: {0}. Analyse it in the Field tab.':
    'Cette image semble montrer un champ entier, pas une seule hématie : {0}. Analysez-la dans l’onglet Champ.',
  'Not a single red-cell image: {0}.': 'Ce n’est pas l’image d’une seule hématie : {0}.',
  'not saved ({0}).': 'non enregistrée ({0}).',
  // Not a red cell (issue 17): platelets, stain debris, fragments, non-cell images
  'Not a red cell (artefact)': 'Pas une hématie (artefact)',
  'Not red cells (artefacts)': 'Pas des hématies (artefacts)',
  '{0} not red cells (artefacts)': '{0} non-hématies (artefacts)',
  'Not counted as a red cell.': 'Non comptée comme hématie.',
  'Not a red cell (artefact): a platelet, stain debris or a fragment. Not counted, not classified.':
    'Pas une hématie (artefact) : une plaquette, un dépôt de colorant ou un fragment. Ni comptée, ni classée.',
  // Field map keyboard navigation and tap feedback (session-field-map)
  'With a keyboard: Tab to an image, move between its cells with the arrow keys, and press Enter to add the outlined cell.':
    'Au clavier : Tab jusqu’à une image, les flèches pour passer d’une cellule à l’autre, Entrée pour ajouter la cellule entourée.',
  'White blood cells are not counted as red cells and are not reviewed':
    'Les globules blancs ne sont pas comptés comme hématies et ne sont pas relus',
  'Not a red cell (platelet, debris): not counted': 'Pas une hématie (plaquette, débris) : non comptée',
  'Cell {0} of {1}: {2}': 'Cellule {0} sur {1} : {2}',
  '{0}, likelihood {1}; in the review ({2}); Enter shows it there':
    '{0}, probabilité {1} ; dans la liste à relire ({2}) ; Entrée l’y affiche',
  '{0}, likelihood {1}; Enter adds it to the review': '{0}, probabilité {1} ; Entrée l’ajoute à la liste à relire',
  'Cell {0} shown in the review': 'Cellule {0} affichée dans la liste à relire',
  'Cell {0} added to the review': 'Cellule {0} ajoutée à la liste à relire',
  'Cells of image {0}: the arrow keys move between cells, Enter adds the outlined cell to the review':
    'Cellules de l’image {0} : les flèches passent d’une cellule à l’autre, Entrée ajoute la cellule entourée à la liste à relire',
  // Report thumbnails: the model's calls, said as the model's
  'model: {0}': 'modèle : {0}',
  '{0} flagged as Infected': '{0} signalée(s) comme « Infectée »',
  '{0} flagged as Needs review': '{0} signalée(s) comme « À vérifier »',
};
