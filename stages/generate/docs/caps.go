package docs

import (
	"strings"
)

// Capitalised text that is not PII (label O): section headings in Title Case
// and ALL CAPS, banners, bullet lists of Title Case items, names of products,
// teams, projects and events inside sentences, titles of works in quotes,
// menu paths, Title Case form labels and whole sentences in capitals. Real
// documents are full of these; without them a tagger learns "capitalised
// word not at a sentence start" = name. Some sentences here also carry true
// PII in capitals or Title Case (names, cities) so that context decides.

// domainHeadingsEN/FR are section headings by kind (Title Case / French
// sentence case and single capitalised words).
var domainHeadingsEN = map[string][]string{
	"email":   {"Flight Details", "Parcel Summary", "Order Confirmation", "What To Do Next", "Booking Reference", "Travel Itinerary", "Delivery Options", "Your Account", "Payment Summary", "Quick Links", "Fraud Alert", "Service Update", "Personal Info", "Outbound", "Return"},
	"letter":  {"Re: Your Application", "Terms And Conditions", "Notice Of Change", "Your Rights", "Complaint Reference", "Summary Of Decision", "Next Steps", "Important Information"},
	"ticket":  {"Expected Behaviour", "Actual Behaviour", "Environment", "Workaround", "Root Cause", "Resolution", "Affected Components", "Internal Notes", "Role", "Impact Assessment"},
	"medical": {"Presenting Complaint", "Medical History", "Current Medication", "Examination Findings", "Plan", "Follow-Up", "Allergies", "Clinical Impression", "Investigations"},
	"hr":      {"Objectives", "Key Achievements", "Areas For Development", "Training Plan", "Overall Rating", "Platform Team", "Role", "Manager Comments", "Next Review"},
	"notes":   {"Agenda", "Decisions", "Action Items", "Risks And Issues", "Any Other Business", "Budget Overview", "Release Plan", "Open Questions"},
	"form":    {"Personal Details", "Contact Information", "Household Details", "Declaration", "Office Use Only", "Section A", "Emergency Contact", "Payment Method"},
	"invoice": {"Order Summary", "Payment Details", "Billing Information", "Terms Of Payment", "Shipping Method", "Tax Summary"},
	"cv":      {"Key Skills", "Professional Experience", "Certifications", "Volunteer Work", "Selected Projects", "Awards"},
	"prose":   {"Introduction", "Background", "Key Findings", "Discussion", "Conclusion", "Further Reading", "Methodology"},
}

var domainHeadingsFR = map[string][]string{
	"email":   {"Détails du vol", "Récapitulatif du colis", "Confirmation de commande", "Que faire ensuite", "Référence de réservation", "Votre compte", "Alerte fraude", "Aller", "Retour", "Informations personnelles"},
	"letter":  {"Objet de la demande", "Conditions générales", "Vos droits", "Résiliations", "Décision", "Réponse", "Pièces jointes"},
	"ticket":  {"Comportement attendu", "Comportement observé", "Environnement", "Contournement", "Cause", "Résolution", "Réponse", "Composants concernés"},
	"medical": {"Motif de consultation", "Antécédents", "Traitement en cours", "Examen clinique", "Conclusion", "Allergies", "Suivi"},
	"hr":      {"Objectifs", "Réalisations", "Axes de progrès", "Plan de formation", "Collaborateur", "Évaluation globale", "Commentaires du responsable"},
	"notes":   {"Ordre du jour", "Décisions", "Actions", "Risques", "Divers", "Budget", "Planning"},
	"form":    {"Coordonnées", "Situation familiale", "Déclaration", "Cadre réservé à l'administration", "Section A", "Mode de paiement", "Dommages"},
	"invoice": {"Récapitulatif", "Modalités de paiement", "Informations de facturation", "Livraison", "Détail de la TVA"},
	"cv":      {"Compétences clés", "Parcours professionnel", "Certifications", "Bénévolat", "Projets", "Distinctions"},
	"prose":   {"Introduction", "Contexte", "Résultats", "Discussion", "Conclusion", "Pour aller plus loin", "Méthode"},
}

var bannersEN = []string{"CONFIDENTIAL – INTERNAL USE ONLY", "CONFIDENTIAL", "INTERNAL USE ONLY", "DRAFT – NOT FOR DISTRIBUTION", "URGENT",
	"DO NOT REPLY TO THIS MESSAGE", "IMPORTANT NOTICE", "PRIVATE AND CONFIDENTIAL", "FOR YOUR INFORMATION", "ACTION REQUIRED", "WHAT TO DO NEXT", "BOOKING CONFIRMATION"}
var bannersFR = []string{"CONFIDENTIEL – USAGE INTERNE UNIQUEMENT", "CONFIDENTIEL", "USAGE INTERNE", "BROUILLON – NE PAS DIFFUSER", "URGENT",
	"MERCI DE NE PAS RÉPONDRE À CE MESSAGE", "AVIS IMPORTANT", "CONFIRMATION DE RÉSERVATION", "DE RÉSERVATION", "ACTION REQUISE", "À CONSERVER"}

// Title Case names of products, features, teams, projects and events: two
// words drawn from these lists ("Atlas Planner", "Harbor Sync").
var brandFirst = []string{"Atlas", "Harbor", "Nimbus", "Orbit", "Quartz", "Falcon", "Summit", "Beacon", "Cedar", "Vertex", "Meridian", "Lumen",
	"Northwind", "Pulse", "Granite", "Horizon", "Cobalt", "Juniper", "Sterling", "Aurora", "Polar", "Keystone", "Tandem", "Sequoia"}
var brandSecondEN = []string{"Planner", "Sync", "Cloud", "Portal", "Hub", "Insights", "Connect", "Studio", "Tracker", "Pay", "Desk", "Board", "Analytics", "Mobile", "Suite"}
var teamsEN = []string{"Platform Team", "Customer Success", "Data Engineering", "Facilities", "Legal And Compliance", "Finance Operations", "Product Design",
	"Site Reliability", "People Operations", "Internal Audit", "Field Sales", "Quality Assurance", "Procurement", "Service Desk"}

// teamsFR and eventsFR carry their article ("la Direction Financière").
var teamsFR = []string{"la Direction Financière", "le Service Client", "les Ressources Humaines", "l'Équipe Plateforme", "les Services Généraux", "le Contrôle de Gestion",
	"la Direction Juridique", "le Support Informatique", "le Service Achats", "la Direction Commerciale"}
var eventsEN = []string{"Summer Sales Kick-off", "Annual General Meeting", "Spring Town Hall", "Quarterly Business Review", "Innovation Week", "Winter Party",
	"Customer Advisory Board", "Leadership Offsite", "Open Day", "Security Awareness Month", "Hack Day", "Year-End Review"}
var eventsFR = []string{"l'Assemblée Générale", "la Journée Portes Ouvertes", "le Séminaire de Rentrée", "le Salon de l'Innovation", "la Fête de Fin d'Année",
	"le Comité de Direction", "la Semaine de la Sécurité", "le Forum des Métiers", "la Convention Commerciale"}
var worksEN = []string{"The Quiet Harbour", "A Year In The Garden", "Notes From The Field", "The Long Way Home", "Blue Summer Nights", "Under The Old Bridge",
	"Working Smarter", "The Art Of Negotiation", "Lessons In Leadership", "Rain On The Window", "State Of The Market", "Annual Sustainability Report",
	"Customer Satisfaction Survey Results", "The Last Train", "Small Steps", "Paper Towns And Rivers"}
var worksFR = []string{"Le Jardin d'Hiver", "Les Chemins de Traverse", "Une Saison en Bord de Mer", "L'Art de la Négociation", "Rapport Annuel",
	"La Dernière Valse", "Le Vent du Nord", "Bilan Social", "Les Nuits Blanches", "Carnets de Route", "Étude de Satisfaction Client"}
var menusEN = []string{"Settings > Display", "File > Export > PDF", "Account > Security > Two-Step Verification", "Tools > Options", "Edit > Preferences",
	"View > Show Sidebar", "Settings > Notifications", "Help > About", "Admin > Users > Permissions", "Reports > Monthly Summary", "Settings > Privacy > Cookies"}
var menusFR = []string{"Paramètres > Affichage", "Fichier > Exporter > PDF", "Compte > Sécurité > Double Authentification", "Outils > Options",
	"Édition > Préférences", "Affichage > Barre Latérale", "Paramètres > Notifications", "Aide > À Propos", "Rapports > Synthèse Mensuelle"}
var buttonsEN = []string{"Select", "Save Changes", "Apply", "Continue", "Submit", "Cancel", "Next", "Confirm Booking", "Download", "Sign In", "Add To Cart", "Update"}
var buttonsFR = []string{"Valider", "Enregistrer", "Appliquer", "Continuer", "Envoyer", "Annuler", "Suivant", "Confirmer", "Télécharger", "Se Connecter"}

// bulletItemsEN/FR are Title Case list items.
var bulletItemsEN = []string{"Travel Insurance", "Seat Selection", "Extra Baggage", "Priority Boarding", "Free Cancellation", "Online Banking", "Mobile App",
	"Customer Portal", "Data Migration", "User Training", "Security Review", "Budget Approval", "Vendor Selection", "Office Relocation", "Performance Testing",
	"Staff Survey", "Health Check", "Risk Register", "Project Charter", "Quality Plan", "Monthly Report", "Team Building", "Key Milestones", "Service Level Agreement"}
var bulletItemsFR = []string{"Assurance Voyage", "Choix du Siège", "Bagage Supplémentaire", "Embarquement Prioritaire", "Annulation Gratuite", "Banque en Ligne",
	"Application Mobile", "Espace Client", "Migration des Données", "Formation des Utilisateurs", "Revue de Sécurité", "Validation du Budget",
	"Déménagement des Bureaux", "Tests de Performance", "Enquête Interne", "Registre des Risques", "Rapport Mensuel", "Cohésion d'Équipe"}

// capsSentencesEN/FR are whole sentences in capitals (shouting, legal notices).
var capsSentencesEN = []string{"THIS MESSAGE IS INTENDED ONLY FOR THE NAMED RECIPIENT.", "PLEASE READ CAREFULLY BEFORE SIGNING.",
	"ALL SALES ARE FINAL.", "DO NOT SHARE YOUR PASSWORD WITH ANYONE.", "THE OFFICE WILL BE CLOSED FOR THE HOLIDAYS.",
	"PLEASE KEEP THIS DOCUMENT FOR YOUR RECORDS.", "NO REFUNDS AFTER THE DEADLINE.", "PAYMENT IS DUE WITHIN THIRTY DAYS.",
	"THIS IS AN AUTOMATED MESSAGE.", "FAILURE TO COMPLY MAY RESULT IN CANCELLATION.", "WHY IS NOTHING WORKING TODAY", "I NEED THIS FIXED NOW",
	"STOP SENDING ME THESE EMAILS", "THE SERVER IS DOWN AGAIN", "SORRY WRONG CHAT", "THIS IS URGENT PLEASE READ", "WE WON THE CONTRACT",
	"THE SOFTWARE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND."}
var capsSentencesFR = []string{"CE MESSAGE EST DESTINÉ UNIQUEMENT À SON DESTINATAIRE.", "À LIRE ATTENTIVEMENT AVANT DE SIGNER.",
	"AUCUN REMBOURSEMENT APRÈS LA DATE LIMITE.", "NE COMMUNIQUEZ JAMAIS VOTRE MOT DE PASSE.", "LES BUREAUX SERONT FERMÉS PENDANT LES FÊTES.",
	"DOCUMENT À CONSERVER.", "CECI EST UN MESSAGE AUTOMATIQUE.", "LE PAIEMENT EST EXIGIBLE SOUS TRENTE JOURS.",
	"ÇA NE MARCHE TOUJOURS PAS", "C'EST URGENT", "ARRÊTEZ DE M'ENVOYER CES MAILS", "LE SERVEUR EST ENCORE EN PANNE", "ON A GAGNÉ LE CONTRAT",
	"TOUTE RÉCLAMATION DOIT ÊTRE FAITE PAR ÉCRIT."}

// heading returns a section heading for the current kind: Title Case (or
// French sentence case), sometimes in capitals.
func (g *gen) heading() string {
	var h string
	pools := domainHeadingsEN
	if g.fr {
		pools = domainHeadingsFR
	}
	if list, ok := pools[g.kind]; ok && g.p(0.7) {
		h = pick(g, list)
	} else {
		h = g.trl(headingsEN, headingsFR)
	}
	if g.p(0.35) {
		h = strings.ToUpper(h)
	}
	return h
}

// banner returns a banner line in capitals.
func (g *gen) banner() string { return g.trl(bannersEN, bannersFR) }

// brand is a Title Case product or feature name.
func (g *gen) brand() string {
	second := pick(g, brandSecondEN)
	if g.fr && g.p(0.3) {
		second = pick(g, []string{"Connect", "Pro", "Cloud", "Mobile", "Suite"})
	}
	return pick(g, brandFirst) + " " + second
}

// bullets writes "\n- Item" lines of Title Case items (or "\n• Item").
func (g *gen) bullets(b *builder, n int) {
	mark := pick(g, []string{"- ", "• ", "* "})
	list := g.choose(bulletItemsEN, bulletItemsFR)
	for i := 0; i < n; i++ {
		it := pick(g, list)
		if g.p(0.15) {
			it = strings.ToUpper(it)
		}
		b.lit("\n" + mark + it)
		if g.p(0.3) {
			b.lit(g.tr(": ", " : ") + g.clause())
		}
	}
}

// headingBlock writes a heading line, then bullets or a sentence.
func (g *gen) headingBlock(b *builder) {
	b.lit(g.heading() + pick(g, []string{"\n", ":\n", "\n\n"}))
	if g.p(0.5) {
		g.bullets(b, 2+g.n(4))
		return
	}
	b.lit(g.sentence())
}

// capsUnit writes one sentence with capitalised non-PII words inside it;
// about one in eight also carries PII in capitals or Title Case.
func (g *gen) capsUnit(b *builder, people []*person) {
	if len(people) > 0 && g.p(0.12) {
		p := pick(g, people)
		switch g.n(4) {
		case 0:
			b.lit(g.tr("PLEASE CONTACT ", "MERCI DE CONTACTER "))
			b.ent("FIRSTNAME", strings.ToUpper(p.first))
			b.lit(" ")
			b.ent("LASTNAME", strings.ToUpper(p.last))
			b.lit(g.tr(" BEFORE THE DEADLINE.", " AVANT LA DATE LIMITE."))
		case 1:
			b.lit(g.tr("The "+g.brand()+" launch in ", "Le lancement de "+g.brand()+" à "))
			b.ent("CITY", g.city(p.country))
			b.lit(g.tr(" is led by ", " est piloté par "))
			b.ent("FIRSTNAME", p.first)
			b.lit(" ")
			b.ent("LASTNAME", p.last)
			b.lit(".")
		case 2:
			b.lit(g.tr("Meet ", "Rencontre avec "))
			b.ent("FIRSTNAME", p.first)
			b.lit(" ")
			b.ent("LASTNAME", p.last)
			b.lit(g.tr(" from the "+pick(g, teamsEN)+" at the "+pick(g, eventsEN)+".", " ("+pick(g, teamsFR)+") lors de "+deLe(pick(g, eventsFR))+"."))
		default:
			b.lit(g.tr("OUR ", "NOTRE BUREAU DE "))
			b.ent("CITY", strings.ToUpper(g.city(p.country)))
			b.lit(g.tr(" OFFICE IS NOW OPEN.", " EST DÉSORMAIS OUVERT."))
		}
		return
	}
	b.lit(g.capsSentence())
}

// capsSentence returns a PII-free sentence with capitalised words inside.
func (g *gen) capsSentence() string {
	q := func(s string) string {
		if g.fr {
			return pick(g, []string{"« " + s + " »", "\"" + s + "\""})
		}
		return pick(g, []string{"\"" + s + "\"", "“" + s + "”", "'" + s + "'"})
	}
	if g.fr {
		switch g.n(10) {
		case 0:
			return "Le déploiement de " + g.brand() + " est prévu " + pick(g, whenFR) + "."
		case 1:
			return capFirst(pick(g, teamsFR)) + " prépare " + pick(g, eventsFR) + "."
		case 2:
			return "J'ai terminé " + q(pick(g, worksFR)) + " ce week-end, je le recommande."
		case 3:
			return "Le document intitulé " + q(pick(g, worksFR)) + " est disponible sur l'intranet."
		case 4:
			return "Allez dans " + pick(g, menusFR) + " puis cliquez sur " + pick(g, buttonsFR) + "."
		case 5:
			return "Cliquez sur « " + pick(g, buttonsFR) + " » pour continuer."
		case 6:
			return endPunct(pick(g, capsSentencesFR), " !")
		case 7:
			return "Merci de contacter " + pick(g, teamsFR) + " : " + g.clause()
		case 8:
			return "Nous avons migré vers " + g.brand() + " pour remplacer " + g.brand() + "."
		default:
			return "Inscrivez-vous à " + pick(g, eventsFR) + " " + pick(g, whenFR) + "."
		}
	}
	switch g.n(11) {
	case 0:
		return "The " + g.brand() + " rollout is planned " + pick(g, whenEN) + "."
	case 1:
		return "The " + pick(g, teamsEN) + " is organising the " + pick(g, eventsEN) + "."
	case 2:
		return "I finished " + q(pick(g, worksEN)) + " last weekend and loved it."
	case 3:
		return "The report titled " + q(pick(g, worksEN)) + " is on the shared drive."
	case 4:
		return "Go to " + pick(g, menusEN) + " and click " + pick(g, buttonsEN) + "."
	case 5:
		return "Click \"" + pick(g, buttonsEN) + "\" to continue."
	case 6:
		return endPunct(pick(g, capsSentencesEN), "!")
	case 7:
		return "Please contact " + pick(g, teamsEN) + ": " + g.clause()
	case 8:
		return "We moved from " + g.brand() + " to " + g.brand() + " in " + pick(g, monthsEN) + "."
	case 9:
		return "Our song of the summer was " + q(pick(g, worksEN)) + "."
	default:
		return "Register for the " + pick(g, eventsEN) + " " + pick(g, whenEN) + "."
	}
}

// titleCase capitalises the first letter of each word of s.
func titleCase(s string) string {
	ws := strings.Split(s, " ")
	for i, w := range ws {
		ws[i] = capFirst(w)
	}
	return strings.Join(ws, " ")
}

// bannerKinds take a banner line at the top now and then.
var bannerKinds = map[string]bool{"email": true, "letter": true, "hr": true, "medical": true, "notes": true, "form": true, "invoice": true, "ticket": true, "prose": true}

// decorate adds a banner above the head (and sometimes a capitals notice in
// the tail) of kinds that carry them.
func (g *gen) decorate(d *document) {
	if !bannerKinds[g.kind] {
		return
	}
	if g.p(0.15) {
		top := &builder{}
		top.lit(g.banner() + "\n\n")
		if d.head != nil {
			top.append(d.head)
		}
		d.head = top
	}
	if g.p(0.08) {
		if d.tail == nil {
			d.tail = &builder{}
		}
		d.tail.lit("\n\n" + g.trl(capsSentencesEN[:10], capsSentencesFR[:8]))
	}
}

// clause is a sentence with its first letter in lower case, to follow a colon.
func (g *gen) clause() string {
	s := g.sentence()
	for _, r := range s {
		return strings.ToLower(string(r)) + s[utf8Len(r):]
	}
	return s
}

// endPunct ends a capitals sentence with mark when it has no final stop.
func endPunct(s, mark string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + mark
}

// deLe is "de" + a French noun phrase with its article ("du Salon", "de la Fête").
func deLe(s string) string {
	switch {
	case strings.HasPrefix(s, "le "):
		return "du " + s[3:]
	case strings.HasPrefix(s, "les "):
		return "des " + s[4:]
	}
	return "de " + s
}
