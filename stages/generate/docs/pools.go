package docs

// Domain phrase pools (PII-free) for tickets, chat, logs, medical and HR
// notes, CVs, invoices and forms.

var subjectsMailEN = []string{
	"Quarterly report", "Meeting next week", "Invoice question", "Updated schedule", "Quick question", "Project update",
	"Welcome aboard", "Your order has shipped", "Holiday plans", "Next steps", "Feedback on the proposal", "Lunch on Friday?",
	"Contract renewal", "Follow-up from Tuesday", "Training session", "Office move", "Budget for March", "Action items",
}
var subjectsMailFR = []string{
	"Rapport trimestriel", "Réunion de la semaine prochaine", "Question sur la facture", "Planning mis à jour",
	"Petite question", "Point sur le projet", "Bienvenue", "Votre commande a été expédiée", "Congés d'été",
	"Prochaines étapes", "Retour sur la proposition", "Déjeuner vendredi ?", "Renouvellement du contrat",
	"Suite à notre échange de mardi", "Session de formation", "Déménagement des bureaux", "Budget de mars",
}

var techEN = []string{
	"The application freezes when I open the settings page.", "The error appears only on the mobile version.",
	"I have already tried clearing the cache and restarting the browser.", "Nothing happens when I click the Save button.",
	"The export to PDF produces an empty file.", "Since the last update, the dashboard takes a long time to load.",
	"The sync with the calendar stopped working on Monday.", "I get a timeout error after about thirty seconds.",
	"The problem does not occur on the desktop app.", "Two of my colleagues have the same issue.",
	"The attachment upload fails for files larger than a few megabytes.", "The password reset link has expired.",
	"The report shows the wrong totals for last month.", "The page displays a blank screen in Firefox.",
	"Notifications are no longer sent by e-mail.", "We restarted the service and the issue came back after an hour.",
	"The invoice screen shows an unexpected error message.", "Search results are missing some older documents.",
	"The printer driver could not be installed.", "The VPN disconnects every few minutes.",
	"Thanks for looking into this so quickly.", "Is there a workaround in the meantime?",
	"This is blocking our month-end closing.", "It worked fine until last Thursday.",
	"The mobile app logs me out every time I switch networks.", "Emails from the system end up in the spam folder.",
	"The button is greyed out even though all fields are filled in.", "The file uploads, but the preview never appears.",
	"After the migration, some of our saved filters are gone.", "The calendar shows meetings one hour late since the clock change.",
	"I cannot find the option to change the invoice address.", "The API returns an internal server error for large requests.",
	"The screen flickers when the laptop is docked.", "The keyboard shortcuts no longer work in the editor.",
}
var techFR = []string{
	"L'application se fige quand j'ouvre la page des paramètres.", "L'erreur n'apparaît que sur la version mobile.",
	"J'ai déjà vidé le cache et redémarré le navigateur.", "Rien ne se passe quand je clique sur Enregistrer.",
	"L'export en PDF produit un fichier vide.", "Depuis la dernière mise à jour, le tableau de bord est très lent.",
	"La synchronisation avec l'agenda ne fonctionne plus depuis lundi.", "J'obtiens une erreur de délai dépassé au bout de trente secondes.",
	"Le problème ne se produit pas sur l'application de bureau.", "Deux collègues ont le même souci.",
	"L'envoi de pièces jointes échoue pour les gros fichiers.", "Le lien de réinitialisation du mot de passe a expiré.",
	"Le rapport affiche de mauvais totaux pour le mois dernier.", "La page reste blanche sous Firefox.",
	"Les notifications ne sont plus envoyées par e-mail.", "Nous avons redémarré le service mais le problème est revenu.",
	"L'écran des factures affiche un message d'erreur inattendu.", "Certains anciens documents n'apparaissent pas dans la recherche.",
	"Le pilote de l'imprimante ne s'installe pas.", "Le VPN se déconnecte toutes les cinq minutes.",
	"Merci de regarder cela rapidement.", "Existe-t-il une solution de contournement ?",
	"Cela bloque notre clôture mensuelle.", "Tout fonctionnait jusqu'à jeudi dernier.",
	"L'application mobile me déconnecte à chaque changement de réseau.", "Les e-mails du système arrivent dans les spams.",
	"Le bouton reste grisé alors que tous les champs sont remplis.", "Le fichier est envoyé mais l'aperçu n'apparaît jamais.",
	"Depuis la migration, certains filtres enregistrés ont disparu.", "L'agenda affiche les réunions avec une heure de retard depuis le changement d'heure.",
	"Je ne trouve pas l'option pour modifier l'adresse de facturation.", "L'API renvoie une erreur interne pour les grosses requêtes.",
	"L'écran clignote quand l'ordinateur est sur la station d'accueil.", "Les raccourcis clavier ne fonctionnent plus dans l'éditeur.",
}
var stepsEN = []string{"Log in to the portal", "Open the Reports tab", "Select last month", "Click Export", "Choose PDF format", "Wait for the download", "Open the settings menu", "Change the language", "Press Save"}
var stepsFR = []string{"Se connecter au portail", "Ouvrir l'onglet Rapports", "Choisir le mois dernier", "Cliquer sur Exporter", "Choisir le format PDF", "Attendre le téléchargement", "Ouvrir le menu des paramètres", "Changer la langue", "Cliquer sur Enregistrer"}

var chatEN = []string{
	"hey are you around", "ok sounds good", "did you see the email from accounting", "lol yes", "brb coffee",
	"can we push the call to later", "thx", "no worries", "im stuck in traffic be there in 10", "sure thing",
	"the build is broken again", "who has the keys to the meeting room", "ill check and get back to you",
	"haha that was fast", "nope not yet", "does anyone know if the office is open on friday", "great thanks a lot",
	"sorry missed your message", "yeah the wifi is terrible today", "let me know when youre free",
	"i sent you the file", "its on the shared drive", "meeting moved to tuesday", "whats the status on the release",
	"ok ill do it tomorrow morning", "good morning everyone", "anyone up for lunch", "this weather is crazy",
	"just landed", "call me when you can", "perfect", "see you monday", "happy friday", "one sec",
	"omw", "ok cool", "can u send me the link", "running 5 min late sorry", "did the client reply", "yep all good", "who broke prod lol",
	"i think its fixed now", "lunch at 12 works for me", "call in 2 min", "thanks for covering for me", "any news on the contract",
	"ill be off tomorrow", "kk", "the printer is jammed again", "anyone else getting errors on the portal", "nice one",
	"just pushed the fix", "ping me when ur back", "sounds like a plan",
}
var chatFR = []string{
	"salut t'es dispo", "ok ça marche", "t'as vu le mail de la compta", "mdr oui", "je reviens je prends un café",
	"on peut décaler l'appel", "merci", "pas de souci", "je suis dans les bouchons j'arrive dans 10 min", "carrément",
	"le build est encore cassé", "qui a les clés de la salle de réunion", "je regarde et je te redis",
	"haha trop rapide", "non pas encore", "quelqu'un sait si le bureau est ouvert vendredi", "super merci beaucoup",
	"désolé j'avais pas vu ton message", "le wifi est horrible aujourd'hui", "dis moi quand t'es libre",
	"je t'ai envoyé le fichier", "c'est sur le drive", "réunion déplacée à mardi", "on en est où pour la mise en prod",
	"ok je fais ça demain matin", "bonjour tout le monde", "qui vient manger", "il fait un temps de fou",
	"je viens d'atterrir", "appelle moi quand tu peux", "parfait", "à lundi", "bon vendredi", "deux secondes",
	"j'arrive", "ok cool", "tu peux m'envoyer le lien", "j'ai 5 min de retard désolé", "le client a répondu", "oui tout est bon",
	"qui a cassé la prod mdr", "je crois que c'est réglé", "déj à midi ça me va", "appel dans 2 min", "merci de m'avoir remplacé",
	"des nouvelles du contrat", "je suis en congé demain", "ok ok", "l'imprimante est encore bloquée", "vous avez aussi des erreurs sur le portail",
	"bien joué", "je viens de pousser le correctif", "fais moi signe quand t'es revenu", "ça me va",
}

var logEN = []string{
	"INFO  cache warmed in %d ms", "INFO  scheduler started with %d workers", "WARN  retrying connection to db-primary (attempt %d/5)",
	"DEBUG request handled in %d ms", "INFO  health check passed", "ERROR upstream timeout after %d ms",
	"INFO  configuration reloaded", "WARN  disk usage above %d%%", "INFO  backup completed successfully",
	"INFO  %d messages consumed from queue orders", "DEBUG cache miss for key product:%d", "INFO  shutting down gracefully",
	"WARN  slow query detected (%d ms)", "INFO  certificate valid for %d more days", "ERROR failed to parse payload: unexpected end of input",
	"INFO  job nightly-report finished", "DEBUG connection pool size %d", "INFO  feature flag new-checkout enabled",
}
var stackLines = []string{
	"    at com.example.orders.OrderService.process(OrderService.java:142)", "    at java.base/java.lang.Thread.run(Thread.java:833)",
	"Traceback (most recent call last):", "  File \"/app/worker.py\", line 88, in handle", "    raise TimeoutError(\"upstream did not answer\")",
	"TimeoutError: upstream did not answer", "Caused by: java.net.SocketTimeoutException: Read timed out", "    ... 23 more",
	"goroutine 17 [running]:", "panic: runtime error: index out of range [3] with length 3",
}
var pathsLog = []string{"/api/v1/orders", "/login", "/static/app.js", "/api/v2/users/me", "/search?q=shoes", "/checkout", "/health", "/images/logo.png", "/api/v1/invoices/export"}

var medicalEN = []string{
	"The patient reports mild headaches in the morning.", "Blood pressure is within the normal range.",
	"No known drug allergies.", "Symptoms started about two weeks ago.", "Advised to rest and drink plenty of fluids.",
	"The wound is healing well.", "Follow-up appointment recommended in six weeks.", "Sleep has improved since the last visit.",
	"Physiotherapy twice a week is recommended.", "The patient does not smoke and drinks occasionally.",
	"Mild swelling of the left knee after exercise.", "Blood test results are normal.", "Continue the current treatment.",
	"Reduce the dose if dizziness occurs.", "The patient was informed of possible side effects.", "Referred to a specialist for further tests.",
	"Heart sounds are regular with no murmur.", "The chest is clear on auscultation.", "Appetite is good and weight is stable.",
	"No fever was reported over the past week.", "Pain is mostly felt at night and after long walks.", "The rash has almost disappeared.",
	"Vaccinations are up to date.", "Lifestyle advice was given regarding diet and exercise.", "The dressing should be changed every two days.",
	"An X-ray of the right wrist showed no fracture.", "Anxiety symptoms have improved with therapy.", "The inhaler technique was reviewed.",
	"Mobility has improved since the start of physiotherapy.", "The patient is advised to avoid heavy lifting for a month.",
}
var medicalFR = []string{
	"Le patient signale des maux de tête légers le matin.", "La tension artérielle est normale.",
	"Pas d'allergie médicamenteuse connue.", "Les symptômes ont débuté il y a environ deux semaines.",
	"Repos conseillé et hydratation abondante.", "La plaie cicatrise bien.", "Consultation de suivi recommandée dans six semaines.",
	"Le sommeil s'est amélioré depuis la dernière visite.", "Kinésithérapie deux fois par semaine recommandée.",
	"Le patient ne fume pas et boit occasionnellement.", "Léger gonflement du genou gauche après l'effort.",
	"Le bilan sanguin est normal.", "Poursuite du traitement actuel.", "Réduire la dose en cas de vertiges.",
	"Le patient a été informé des effets secondaires possibles.", "Orienté vers un spécialiste pour des examens complémentaires.",
	"Les bruits du cœur sont réguliers, sans souffle.", "L'auscultation pulmonaire est normale.", "L'appétit est conservé et le poids stable.",
	"Pas de fièvre rapportée cette semaine.", "La douleur apparaît surtout la nuit et après la marche.", "L'éruption a presque disparu.",
	"Les vaccinations sont à jour.", "Des conseils d'hygiène de vie ont été donnés.", "Le pansement doit être changé tous les deux jours.",
	"La radiographie du poignet droit ne montre pas de fracture.", "L'anxiété s'est améliorée avec la thérapie.", "La technique d'inhalation a été revue.",
	"La mobilité s'est améliorée depuis le début de la rééducation.", "Éviter de porter des charges lourdes pendant un mois.",
}
var hrEN = []string{
	"The review covered objectives for the coming quarter.", "Performance has been consistently strong this year.",
	"Communication with the wider team could be improved.", "Training in project management was agreed.",
	"The employee requested more flexible working hours.", "Targets for the first half were exceeded.",
	"A salary review will take place in the spring.", "The probation period was completed successfully.",
	"Feedback from colleagues was very positive.", "Remote work two days a week was approved.",
	"The next review is planned for the autumn.", "Leave balance was checked and confirmed.",
	"The employee has shown strong ownership of the new reporting tool.", "Attendance has been excellent.", "A mentoring programme was suggested.",
	"The team would benefit from clearer priorities.", "The employee expressed interest in a move to the product team.",
	"Objectives will be reviewed at the end of the quarter.", "Overtime has been high during the busy season.", "A new laptop was requested.",
	"Parental leave dates were confirmed.", "The employee completed the mandatory safety training.",
}
var hrFR = []string{
	"L'entretien a porté sur les objectifs du prochain trimestre.", "Les performances ont été constantes cette année.",
	"La communication avec le reste de l'équipe peut être améliorée.", "Une formation en gestion de projet a été validée.",
	"Le salarié a demandé des horaires plus flexibles.", "Les objectifs du premier semestre ont été dépassés.",
	"Une révision salariale aura lieu au printemps.", "La période d'essai a été validée.",
	"Les retours des collègues sont très positifs.", "Le télétravail deux jours par semaine a été accepté.",
	"Le prochain entretien est prévu à l'automne.", "Le solde de congés a été vérifié.",
	"Le salarié s'est bien approprié le nouvel outil de reporting.", "L'assiduité est excellente.", "Un programme de tutorat a été proposé.",
	"L'équipe gagnerait à avoir des priorités plus claires.", "Le salarié souhaite rejoindre l'équipe produit.",
	"Les objectifs seront revus en fin de trimestre.", "Les heures supplémentaires ont été nombreuses en haute saison.", "Un nouvel ordinateur a été demandé.",
	"Les dates du congé parental ont été confirmées.", "La formation obligatoire à la sécurité a été suivie.",
}
var cvBulletsEN = []string{
	"Led a team of six people across three sites.", "Reduced processing time by a third.", "Managed the annual budget and supplier contracts.",
	"Introduced a new reporting process in Excel and Power BI.", "Trained new staff on internal tools.",
	"Coordinated the migration to a new accounting system.", "Handled customer escalations and complaints.",
	"Built internal dashboards with Python and SQL.", "Organised trade fairs and client events.", "Wrote technical documentation.",
}
var cvBulletsFR = []string{
	"Encadrement d'une équipe de six personnes sur trois sites.", "Réduction d'un tiers des délais de traitement.",
	"Gestion du budget annuel et des contrats fournisseurs.", "Mise en place d'un nouveau reporting sous Excel et Power BI.",
	"Formation des nouveaux arrivants aux outils internes.", "Coordination de la migration vers un nouveau logiciel comptable.",
	"Traitement des réclamations clients.", "Création de tableaux de bord internes en Python et SQL.",
	"Organisation de salons et d'événements clients.", "Rédaction de documentation technique.",
}
var invoiceItemsEN = []string{"Consulting services", "Software licence (annual)", "Office chairs", "Translation services", "Training day", "Maintenance contract", "Printer cartridges", "Website hosting", "Catering", "Travel expenses"}
var invoiceItemsFR = []string{"Prestation de conseil", "Licence logicielle (annuelle)", "Chaises de bureau", "Traduction", "Journée de formation", "Contrat de maintenance", "Cartouches d'encre", "Hébergement du site", "Traiteur", "Frais de déplacement"}
var termsEN = []string{
	"Payment is due within thirty days.", "Late payments may incur interest.", "Thank you for your business.",
	"Please quote the invoice number with your payment.", "Goods remain our property until paid in full.",
	"Prices include VAT at the standard rate.", "Questions about this invoice? Reply to this message.",
}
var termsFR = []string{
	"Paiement à trente jours.", "Tout retard de paiement entraîne des pénalités.", "Merci de votre confiance.",
	"Merci de rappeler le numéro de facture lors du paiement.", "Les marchandises restent notre propriété jusqu'au paiement complet.",
	"Prix TTC, TVA au taux normal.", "Une question sur cette facture ? Répondez à ce message.",
}
var formNotesEN = []string{
	"Please complete all fields in block capitals.", "Fields marked with an asterisk are required.",
	"Your information will only be used to process this request.", "Return the signed form to the front desk.",
	"Incomplete forms cannot be processed.", "Allow up to ten working days for a reply.",
}
var formNotesFR = []string{
	"Merci de remplir tous les champs en majuscules.", "Les champs marqués d'un astérisque sont obligatoires.",
	"Vos informations ne servent qu'au traitement de cette demande.", "Merci de rendre le formulaire signé à l'accueil.",
	"Les formulaires incomplets ne pourront pas être traités.", "Comptez jusqu'à dix jours ouvrés pour une réponse.",
}

var kernelLines = []string{
	"usb 1-1: new high-speed USB device number 3 using xhci_hcd", "EXT4-fs (sda1): mounted filesystem with ordered data mode",
	"e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex", "Bluetooth: hci0: firmware loaded", "CPU3: Core temperature above threshold, cpu clock throttled",
	"systemd[1]: Started Daily apt upgrade and clean activities.", "systemd[1]: Reached target Multi-User System.",
	"nvme nvme0: 8/0/0 default/read/poll queues", "audit: type=1400 apparmor=\"STATUS\" operation=\"profile_load\"",
	"input: Power Button as /devices/LNXSYSTM:00/input/input2", "random: crng init done", "usbcore: registered new interface driver usbhid",
	"ata1: SATA link up 6.0 Gbps", "Out of memory: Killed process 2318 (java)", "wlan0: disconnected from access point",
}
var skillsEN = []string{"Project management (Prince2, Agile)", "Excel, Power BI and SQL", "Negotiation and supplier management", "Python and data analysis",
	"Customer service and complaint handling", "Team leadership", "Budget planning and forecasting", "Public speaking", "Technical writing", "Recruitment and onboarding"}
var skillsFR = []string{"Gestion de projet (Agile, Scrum)", "Excel, Power BI et SQL", "Négociation et gestion des fournisseurs", "Python et analyse de données",
	"Relation client et traitement des réclamations", "Management d'équipe", "Élaboration et suivi budgétaire", "Prise de parole en public", "Rédaction technique", "Recrutement et intégration"}
var educationEN = []string{"Master's degree in Business Administration", "Bachelor of Science in Computer Science", "Diploma in Nursing", "Degree in Accounting and Finance", "Bachelor of Arts in Modern Languages"}
var educationFR = []string{"Master en management", "Licence d'informatique", "Diplôme d'État d'infirmier", "DUT Gestion des entreprises et des administrations", "Master de langues étrangères appliquées"}

// headingsEN/FR are section headings: capitalised ordinary words (label O).
var headingsEN = []string{"Next Steps", "Key Points", "Action Items", "Background", "Summary", "Open Questions", "Budget Overview",
	"Timeline", "Assessment", "Plan", "History", "Recommendations", "Important Notice", "Project Update", "Customer Feedback", "FAQ"}
var headingsFR = []string{"Prochaines étapes", "Points clés", "Actions", "Contexte", "Résumé", "Questions ouvertes", "Budget",
	"Calendrier", "Bilan", "Conduite à tenir", "Antécédents", "Recommandations", "Avis important", "Point d'avancement", "Retours clients"}
