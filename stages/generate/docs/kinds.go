package docs

import (
	"fmt"
	"strconv"
	"strings"
)

// kind is one document kind: its name, its weight among the kinds and how it
// builds a document.
type kind struct {
	name   string
	weight int
	build  func(g *gen) *document
	// dense kinds (records, logs) cannot take much prose: they are drawn
	// less often while the output's clean share is below its target.
	dense bool
}

// allKinds is read-only after init.
var allKinds = []kind{
	{"email", 16, buildEmail, false},
	{"letter", 9, buildLetter, false},
	{"ticket", 9, buildTicket, false},
	{"chat", 14, buildChat, true},
	{"form", 7, buildForm, false},
	{"csv", 8, buildCSV, true},
	{"json", 5, buildJSON, false},
	{"log", 10, buildLog, true},
	{"invoice", 9, buildInvoice, true},
	{"medical", 6, buildMedical, false},
	{"hr", 6, buildHR, false},
	{"cv", 9, buildCV, true},
	{"notes", 8, buildNotes, false},
	{"prose", 8, buildProse, false},
	{"short", 8, buildShort, true},
}

func kindByName(name string) (kind, bool) {
	for _, k := range allKinds {
		if k.name == name {
			return k, true
		}
	}
	return kind{}, false
}

func pickKind(g *gen, ks []kind) kind {
	total := 0
	for _, k := range ks {
		total += k.weight
	}
	r := g.n(total)
	for _, k := range ks {
		if r < k.weight {
			return k
		}
		r -= k.weight
	}
	return ks[len(ks)-1]
}

// piiSentence writes one sentence of running text that carries PII.
func (g *gen) piiSentence(b *builder, people []*person) {
	p := pick(g, people)
	switch g.n(22) {
	case 0:
		b.lit(g.tr("I will be in ", "Je serai à "))
		b.ent("CITY", g.city(p.country))
		b.lit(g.tr(" on ", " le "))
		b.ent("DATE", g.anyDate())
		b.lit(".")
	case 1:
		b.lit(g.tr(pick(g, []string{"You can reach me at ", "My direct line is ", "Call me on "}), pick(g, []string{"Vous pouvez me joindre au ", "Ma ligne directe : ", "Appelez-moi au "})))
		b.ent("PHONENUMBER", g.phone(p.country))
		b.lit(".")
	case 2:
		b.lit(g.tr("My colleague ", map[bool]string{true: "Ma collègue ", false: "Mon collègue "}[p.female]))
		g.anyName(b, p)
		b.lit(g.tr(" will join us.", " se joindra à nous."))
	case 3:
		b.lit(g.tr("The meeting is at ", "La réunion est à "))
		b.ent("TIME", g.clock())
		b.lit(g.tr(" on ", " le "))
		b.ent("DATE", g.anyDate())
		b.lit(".")
	case 4:
		b.lit(g.tr("Please transfer ", "Merci de virer "))
		g.money(b, 50, 9000)
		b.lit(g.tr(" to IBAN ", " sur l'IBAN "))
		b.ent("IBAN", g.v.Draw("IBAN", g.fr))
		b.lit(".")
	case 5:
		b.lit(g.tr("Our new office is at ", "Nos nouveaux bureaux sont au "))
		g.address(b, p.country, false, g.p(0.3))
		b.lit(".")
	case 6:
		b.lit(g.tr("Please write to ", "Merci d'écrire à "))
		b.ent("EMAIL", p.email)
		b.lit(g.tr(" instead.", " à la place."))
	case 7:
		b.lit(g.tr("The invoice of ", "La facture de "))
		g.money(b, 20, 20000)
		b.lit(g.tr(" is due on ", " est à régler avant le "))
		b.ent("DATE", g.anyDate())
		b.lit(".")
	case 8:
		g.anyName(b, p)
		b.lit(g.tr(" from ", " de chez "))
		b.ent("COMPANYNAME", p.company)
		b.lit(g.tr(" sends their regards.", " vous salue."))
	case 9:
		b.lit(g.tr("I spoke with ", "J'ai parlé avec "))
		g.anyName(b, p)
		b.lit(g.tr(", our ", ", notre "))
		b.ent("JOBTITLE", p.title)
		b.lit(".")
	case 11:
		b.lit(g.tr("Thank you for meeting with us last "+pick(g, weekdaysEN)+" in ", "Merci de nous avoir reçus "+pick(g, weekdaysFR)+" dernier à "))
		b.ent("CITY", g.city(p.country))
		b.lit(".")
	case 12:
		b.lit(g.tr("You can reach ", "Vous pouvez joindre "))
		g.name(b, p, pick(g, []int{nameFirst, nameFull, namePrefixLast}))
		b.lit(g.tr(" at ", " au "))
		b.ent("PHONENUMBER", g.phone(p.country))
		b.lit(g.tr(" or ", " ou à "))
		b.ent("EMAIL", p.email)
		b.lit(".")
	case 13:
		b.lit(g.tr("Our ", "Notre bureau de "))
		b.ent("CITY", g.city(p.country))
		b.lit(g.tr(" office will be closed on ", " sera fermé le "))
		b.ent("DATE", g.anyDate())
		b.lit(".")
	case 14:
		g.anyName(b, p)
		b.lit(g.tr(", our ", ", notre "))
		b.ent("JOBTITLE", p.title)
		b.lit(g.tr(", will present the results in "+pick(g, monthsEN)+".", ", présentera les résultats en "+pick(g, monthsFR)+"."))
	case 15:
		b.lit(g.tr("Your customer number is ", "Votre numéro client est le "))
		b.ent("ACCOUNTNUMBER", g.digits(6+g.n(5)))
		b.lit(".")
	case 16:
		g.anyName(b, p)
		b.lit(g.tr(pick(g, []string{" works at ", " has joined ", " is now with "}), pick(g, []string{" travaille chez ", " a rejoint ", " est désormais chez "})))
		b.ent("COMPANYNAME", p.company)
		b.lit(".")
	case 17:
		b.lit(g.tr(pick(g, []string{"I am travelling to ", "Next month we are moving to ", "The team is based in "}), pick(g, []string{"Je pars en voyage à ", "Le mois prochain, nous partons pour ", "L'équipe est basée à "})))
		c := g.pickCountry()
		b.ent("CITY", g.city(c))
		if g.p(0.6) {
			b.lit(", ")
			b.ent("STATE", g.tr(c.nameEN, c.nameFR))
		}
		b.lit(".")
	case 18:
		g.anyName(b, p)
		b.lit(g.tr(" was born on ", " est né(e) le "))
		b.ent("DOB", g.date(g.day(1940, 2015)))
		b.lit(".")
	case 19:
		b.lit(g.tr(pick(g, []string{"My father is ", "Our client is ", "The applicant is "}), pick(g, []string{"Mon père a ", "Notre client a ", "Le candidat a "})))
		a := strconv.Itoa(18 + g.n(70))
		b.ent("AGE", a)
		b.lit(g.tr(" years old.", " ans."))
	case 20:
		if g.fr {
			b.lit("Le vol de ")
			g.name(b, p, pick(g, []int{nameFirst, nameFull}))
			b.lit(" arrive à ")
		} else {
			g.name(b, p, pick(g, []int{nameFirst, nameFull}))
			b.lit("'s flight lands at ")
		}
		b.ent("TIME", g.clock())
		b.lit(g.tr(", so please keep the afternoon free.", ", merci de garder l'après-midi libre."))
	default:
		b.lit(g.tr("The card ending in ", "La carte se terminant par "))
		b.ent("MASKEDNUMBER", g.digits(4))
		b.lit(g.tr(" was declined.", " a été refusée."))
	}
}

// proseUnit returns a body unit of running prose: mostly PII-free sentences,
// with a piiRate share of PII sentences and paragraph breaks now and then.
func (g *gen) proseUnit(people []*person, piiRate float64, sentence func() string) func(b *builder) {
	return func(b *builder) {
		if b.pos > 0 {
			if g.p(0.25) {
				b.lit("\n\n")
				if g.p(0.15) {
					h := g.trl(headingsEN, headingsFR)
					if g.p(0.3) {
						h = strings.ToUpper(h)
					}
					b.lit(h + pick(g, []string{"\n", ":\n", "\n\n"}))
				}
			} else {
				b.lit(" ")
			}
		}
		if len(people) > 0 && g.p(piiRate) {
			g.piiSentence(b, people)
			return
		}
		b.lit(sentence())
	}
}

func (g *gen) greeting(b *builder, p *person) {
	if g.fr {
		switch g.n(6) {
		case 0:
			b.lit("Bonjour ")
			b.ent("FIRSTNAME", p.first)
			b.lit(",")
		case 1:
			b.lit(pick(g, []string{"Bonjour ", g.cher(p)}))
			g.name(b, p, namePrefixLast)
			b.lit(",")
		case 2:
			b.lit("Madame, Monsieur,")
		case 3:
			b.lit(pick(g, []string{"Bonjour,", "Bonjour à tous,", "Salut,"}))
		case 4:
			b.lit("Bonjour ")
			g.name(b, p, namePrefixFull)
			b.lit(",")
		default:
			b.lit(pick(g, []string{g.cher(p), "Bonjour "}))
			b.ent("FIRSTNAME", p.first)
			b.lit(",")
		}
		return
	}
	switch g.n(6) {
	case 0:
		b.lit(pick(g, []string{"Hi ", "Hello ", "Dear "}))
		b.ent("FIRSTNAME", p.first)
		b.lit(pick(g, []string{",", ",", "!"}))
	case 1:
		b.lit("Dear ")
		g.name(b, p, namePrefixLast)
		b.lit(pick(g, []string{",", ":"}))
	case 2:
		b.lit(pick(g, []string{"Dear Sir or Madam,", "To whom it may concern,"}))
	case 3:
		b.lit(pick(g, []string{"Hi all,", "Hello team,", "Good morning,", "Hi,"}))
	case 4:
		b.lit("Dear ")
		g.name(b, p, namePrefixFull)
		b.lit(",")
	default:
		b.lit(pick(g, []string{"Hi ", "Hey ", "Morning "}))
		b.ent("FIRSTNAME", p.first)
		b.lit(",")
	}
}

// cher is the French "Dear " agreeing with p's gender.
func (g *gen) cher(p *person) string {
	if p.female {
		return "Chère "
	}
	return "Cher "
}

func (g *gen) signoff() string {
	return g.trl(
		[]string{"Best regards,", "Kind regards,", "Thanks,", "Cheers,", "Many thanks,", "Best,", "Regards,", "Yours sincerely,", "All the best,"},
		[]string{"Cordialement,", "Bien à vous,", "Bonne journée,", "Merci,", "Bien cordialement,", "À bientôt,", "Salutations distinguées,"})
}

// signature writes a signature block: name, then some of title, company,
// phone, e-mail, address, website.
func (g *gen) signature(b *builder, p *person) {
	if g.p(0.3) {
		g.name(b, p, nameFirst)
		return
	}
	g.fullName(b, p)
	if g.p(0.7) {
		b.lit("\n")
		b.ent("JOBTITLE", p.title)
		if g.p(0.5) {
			b.lit(pick(g, []string{" | ", ", ", "\n"}))
			b.ent("COMPANYNAME", p.company)
		}
	}
	if g.p(0.6) {
		b.lit(g.tr(pick(g, []string{"\nPhone: ", "\nTel: ", "\nM: ", "\nMobile: ", "\n"}), pick(g, []string{"\nTél. : ", "\nTél : ", "\nPortable : ", "\n"})))
		b.ent("PHONENUMBER", g.phone(p.country))
	}
	if g.p(0.4) {
		b.lit("\n")
		b.ent("EMAIL", p.email)
	}
	if g.p(0.3) {
		b.lit("\n")
		g.address(b, p.country, g.p(0.5), g.p(0.4))
	}
	if g.p(0.2) {
		b.lit("\n")
		b.ent("URL", "https://www."+p.domain)
	}
}

func buildEmail(g *gen) *document {
	from, to := g.person(), g.person()
	if g.p(0.5) {
		to.company, to.domain = from.company, from.domain
		to.email = g.emailFor(to, true)
	}
	h := &builder{}
	h.lit(g.tr("From: ", pick(g, []string{"From: ", "De : "})))
	if g.p(0.7) {
		g.name(h, from, pick(g, []int{nameFull, nameFull, nameLastFirst, nameUpperLast}))
		h.lit(" <")
		h.ent("EMAIL", from.email)
		h.lit(">")
	} else {
		h.ent("EMAIL", from.email)
	}
	h.lit(g.tr("\nTo: ", "\nÀ : "))
	if g.p(0.5) {
		g.name(h, to, nameFull)
		h.lit(" <")
		h.ent("EMAIL", to.email)
		h.lit(">")
	} else {
		h.ent("EMAIL", to.email)
	}
	if g.p(0.2) {
		h.lit("\nCc: ")
		h.ent("EMAIL", g.person().email)
	}
	h.lit(g.tr("\nSubject: ", "\nObjet : "))
	if g.p(0.3) {
		h.lit(pick(g, []string{"Re: ", "RE: ", "Fwd: ", "TR: "}))
	}
	h.lit(g.trl(subjectsMailEN, subjectsMailFR))
	if g.p(0.7) {
		h.lit(g.tr(pick(g, []string{"\nDate: ", "\nSent: "}), pick(g, []string{"\nDate: ", "\nDate : ", "\nEnvoyé : "})))
		h.ent("DATE", g.anyDate())
		h.lit(pick(g, []string{" ", ", ", g.tr(" at ", " à ")}))
		h.ent("TIME", g.clock())
	}
	h.lit("\n\n")
	g.greeting(h, to)
	h.lit("\n\n")
	t := &builder{}
	t.lit("\n\n" + g.signoff() + "\n")
	g.signature(t, from)
	return &document{head: h, tail: t, unit: g.proseUnit([]*person{from, to}, 0.06, g.sentence), minUnits: 2, maxUnits: 60}
}

func buildLetter(g *gen) *document {
	from, to := g.person(), g.person()
	h := &builder{}
	if g.p(0.6) {
		h.ent("COMPANYNAME", from.company)
		h.lit("\n")
		g.address(h, from.country, true, g.p(0.5))
		h.lit("\n\n")
	}
	g.name(h, to, pick(g, []int{namePrefixFull, nameFull, nameUpperLast, nameCaps}))
	h.lit("\n")
	if g.p(0.5) {
		h.ent("COMPANYNAME", to.company)
		h.lit("\n")
	}
	g.address(h, to.country, true, g.p(0.5))
	h.lit("\n\n")
	if g.p(0.5) {
		h.ent("CITY", g.city(from.country))
		h.lit(g.tr(", ", ", le "))
	}
	h.ent("DATE", g.anyDate())
	h.lit("\n\n")
	if g.p(0.6) {
		h.lit(g.tr("Subject: ", "Objet : ") + g.trl(subjectsMailEN, subjectsMailFR) + "\n\n")
	}
	if g.p(0.6) {
		h.lit(g.tr("Dear ", pick(g, []string{g.cher(to), "Madame, Monsieur,"})))
		if h.endsWith("Monsieur,") {
			h.lit("\n\n")
		} else {
			g.name(h, to, namePrefixLast)
			h.lit(",\n\n")
		}
	} else {
		g.greeting(h, to)
		h.lit("\n\n")
	}
	t := &builder{}
	t.lit("\n\n" + g.signoff() + "\n\n")
	g.fullName(t, from)
	if g.p(0.7) {
		t.lit("\n")
		t.ent("JOBTITLE", from.title)
	}
	return &document{head: h, tail: t, unit: g.proseUnit([]*person{from, to}, 0.05, g.sentence), minUnits: 3, maxUnits: 60}
}

func buildTicket(g *gen) *document {
	rep, agent := g.person(), g.person()
	h := &builder{}
	h.lit(fmt.Sprintf(g.tr("Ticket #%d", "Ticket n°%d"), 10000+g.n(90000)))
	h.lit(" — " + g.trl([]string{"Cannot export report", "App crashes on start", "Login problem", "Wrong invoice total", "Sync not working", "Printer offline"},
		[]string{"Export impossible", "L'application plante au démarrage", "Problème de connexion", "Total de facture erroné", "Synchronisation en panne", "Imprimante hors ligne"}))
	h.lit(g.tr("\nPriority: ", "\nPriorité : ") + g.trl([]string{"Low", "Normal", "High", "Urgent"}, []string{"Basse", "Normale", "Haute", "Urgente"}))
	h.lit(g.tr("\nStatus: ", "\nStatut : ") + g.trl([]string{"Open", "Pending", "In progress"}, []string{"Ouvert", "En attente", "En cours"}))
	h.lit(g.tr("\nReported by: ", "\nSignalé par : "))
	if g.p(0.5) {
		h.ent("USERNAME", rep.username)
	} else {
		g.fullName(h, rep)
		if g.p(0.6) {
			h.lit(" (")
			h.ent("EMAIL", rep.email)
			h.lit(")")
		}
	}
	h.lit(g.tr("\nCreated: ", "\nCréé le : "))
	h.ent("DATE", g.anyDate())
	h.lit(" ")
	h.ent("TIME", g.clock())
	h.lit(g.tr("\n\nDescription:\n", "\n\nDescription :\n"))
	t := &builder{}
	if g.p(0.5) {
		t.lit(g.tr("\n\nSteps to reproduce:", "\n\nÉtapes pour reproduire :"))
		steps := stepsEN
		if g.fr {
			steps = stepsFR
		}
		for i, n := 0, 2+g.n(3); i < n; i++ {
			t.lit(fmt.Sprintf("\n%d. %s", i+1, pick(g, steps)))
		}
	}
	if g.p(0.15) {
		t.lit(g.tr("\n\nTemporary password: ", "\n\nMot de passe temporaire : "))
		t.ent("PASSWORD", g.v.Draw("PASSWORD", g.fr))
	}
	if g.p(0.2) {
		t.lit(g.tr("\n\nIP address: ", "\n\nAdresse IP : "))
		t.ent("IPV4", g.v.Draw("IPV4", g.fr))
	}
	if g.p(0.3) {
		t.lit(g.tr("\n\nBrowser: ", "\n\nNavigateur : "))
		t.ent("USERAGENT", g.v.Draw("USERAGENT", g.fr))
	}
	if g.p(0.6) {
		t.lit(g.tr("\n\n--- Reply from support ---\n", "\n\n--- Réponse du support ---\n"))
		g.greeting(t, rep)
		t.lit(" ")
		g.paragraph(t, 1+g.n(2))
		t.lit("\n")
		g.name(t, agent, nameFirst)
		t.lit(g.tr("\nSupport team", "\nÉquipe support"))
	}
	sent := func() string {
		if g.p(0.6) {
			return g.fresh(techEN, techFR)
		}
		return g.sentence()
	}
	return &document{head: h, tail: t, unit: g.proseUnit([]*person{rep}, 0.08, sent), minUnits: 2, maxUnits: 30}
}

// typo damages a chat word now and then: a swapped, dropped or doubled letter.
func (g *gen) typo(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		r := []rune(w)
		if len(r) < 4 || !g.p(0.06) {
			continue
		}
		j := 1 + g.n(len(r)-2)
		switch g.n(3) {
		case 0:
			r[j], r[j+1] = r[j+1], r[j]
		case 1:
			r = append(r[:j], r[j+1:]...)
		default:
			r = append(r[:j+1], r[j:]...)
		}
		ws[i] = string(r)
	}
	return strings.Join(ws, " ")
}

func buildChat(g *gen) *document {
	people := []*person{g.person(), g.person()}
	if g.p(0.3) {
		people = append(people, g.person())
	}
	style := pick(g, []int{0, 0, 1, 1, 1, 2}) // 0: "[09:14] user: msg", 1: "first: msg", 2: "First Last, 09:14\nmsg"
	h := &builder{}
	if g.p(0.3) {
		h.lit(g.tr("Chat transcript — ", "Conversation — "))
		h.ent("DATE", g.anyDate())
		h.lit("\n")
	}
	hh, mm := 8+g.n(10), g.n(60)
	unit := func(b *builder) {
		if b.pos > 0 {
			b.lit("\n")
		}
		p := pick(g, people)
		mm += 1 + g.n(4)
		if mm >= 60 {
			hh, mm = (hh+1)%24, mm-60
		}
		switch style {
		case 0:
			b.lit("[")
			b.ent("TIME", fmt.Sprintf("%02d:%02d", hh, mm))
			b.lit("] ")
			b.ent("USERNAME", p.username)
			b.lit(": ")
		case 1:
			b.ent("FIRSTNAME", strings.ToLower(p.first))
			b.lit(": ")
		default:
			b.ent("FIRSTNAME", p.first)
			b.lit(" ")
			b.ent("LASTNAME", p.last)
			b.lit(", ")
			b.ent("TIME", fmt.Sprintf("%d:%02d", hh, mm))
			b.lit("\n")
		}
		other := pick(g, people)
		switch r := g.n(100); {
		case r < 6:
			b.lit(g.tr("my number is ", "mon num c'est "))
			b.ent("PHONENUMBER", g.phone(p.country))
		case r < 11:
			b.lit(g.tr("ask ", "demande à "))
			b.ent("FIRSTNAME", strings.ToLower(other.first))
			b.lit(g.tr(" he knows", " il sait"))
		case r < 14:
			b.lit(g.tr("im in ", "je suis à "))
			b.ent("CITY", strings.ToLower(g.city(p.country)))
			b.lit(g.tr(" until friday", " jusqu'à vendredi"))
		case r < 17:
			b.lit(g.tr("send it to ", "envoie à "))
			b.ent("EMAIL", other.email)
		case r < 30:
			b.lit(g.typo(strings.ToLower(strings.TrimRight(g.sentence(), ".!?"))))
		default:
			b.lit(g.typo(g.fresh(chatEN, chatFR)))
			if g.p(0.4) {
				b.lit(" " + g.typo(g.fresh(chatEN, chatFR)))
			}
		}
	}
	return &document{head: h, unit: unit, minUnits: 4, maxUnits: 18}
}

// field writes "key: " in the language's punctuation, on a new line.
func (g *gen) field(b *builder, en, fr string) { g.key(b, g.tr(en, fr)) }

// key writes an already translated "key: " on a new line.
func (g *gen) key(b *builder, k string) {
	if b.pos > 0 {
		b.lit("\n")
	}
	b.lit(k + g.tr(": ", " : "))
}

func buildForm(g *gen) *document {
	p := g.person()
	h := &builder{}
	h.lit(g.trl([]string{"APPLICATION FORM", "Customer registration", "Change of address form", "Membership application", "Visitor registration"},
		[]string{"FORMULAIRE DE DEMANDE", "Inscription client", "Formulaire de changement d'adresse", "Demande d'adhésion", "Registre des visiteurs"}))
	h.lit("\n\n" + g.trl(formNotesEN, formNotesFR) + "\n")
	caps := g.p(0.3)
	nm := func(s string) string {
		if caps {
			return strings.ToUpper(s)
		}
		return s
	}
	if g.p(0.5) {
		g.field(h, "Title", "Civilité")
		h.ent("PREFIX", g.prefix(p))
	}
	g.key(h, g.trl([]string{"Surname", "Last name", "Family name"}, []string{"Nom", "Nom de famille"}))
	h.ent("LASTNAME", nm(p.last))
	g.key(h, g.trl([]string{"First name", "Given name(s)", "Forename"}, []string{"Prénom", "Prénom(s)"}))
	h.ent("FIRSTNAME", nm(p.first))
	if g.p(0.5) {
		g.field(h, "Date of birth", "Date de naissance")
		h.ent("DOB", g.date(g.day(1945, 2005)))
	}
	g.field(h, "Address", "Adresse")
	g.address(h, p.country, false, g.p(0.5))
	if g.p(0.7) {
		g.field(h, "Phone", "Téléphone")
		h.ent("PHONENUMBER", g.phone(p.country))
	}
	if g.p(0.7) {
		g.field(h, "Email", "E-mail")
		h.ent("EMAIL", p.email)
	}
	if g.p(0.4) {
		g.field(h, "Occupation", "Profession")
		h.ent("JOBTITLE", p.title)
	}
	if g.p(0.3) {
		g.field(h, "Gender", "Genre")
		h.ent("GENDER", g.v.Draw("GENDER", g.fr))
	}
	if g.p(0.15) {
		g.field(h, "Vehicle registration", "Immatriculation")
		h.ent("VEHICLEVRM", g.v.Draw("VEHICLEVRM", g.fr))
	}
	if g.p(0.3) {
		g.field(h, "Social security number", "N° de sécurité sociale")
		h.ent("SSN", g.v.Draw("SSN", g.fr))
	}
	en := [][2]string{{"Preferred contact method", "E-mail"}, {"Newsletter", "No"}, {"How did you hear about us?", "A friend recommended you"},
		{"Reason for the request", "Moving to a new flat"}, {"Accessibility needs", "None"}, {"Consent to terms", "Yes"},
		{"Preferred language", "English"}, {"Membership type", "Standard"}, {"Parking required", "No"}, {"Dietary requirements", "Vegetarian"}}
	fr := [][2]string{{"Moyen de contact préféré", "E-mail"}, {"Newsletter", "Non"}, {"Comment nous avez-vous connus ?", "Le bouche-à-oreille"},
		{"Motif de la demande", "Déménagement"}, {"Besoins d'accessibilité", "Aucun"}, {"Acceptation des conditions", "Oui"},
		{"Langue préférée", "Français"}, {"Type d'adhésion", "Standard"}, {"Place de parking", "Non"}, {"Régime alimentaire", "Végétarien"}}
	unit := func(b *builder) {
		if g.p(0.35) {
			b.lit("\n" + g.tr("Comments: ", "Commentaires : ") + g.sentence())
			return
		}
		kv := pick(g, en)
		if g.fr {
			kv = pick(g, fr)
		}
		sep := g.tr(": ", " : ")
		if strings.HasSuffix(kv[0], "?") {
			sep = " "
		}
		b.lit("\n" + kv[0] + sep + kv[1])
	}
	t := &builder{}
	t.lit(g.tr("\n\nSignature: ", "\n\nSignature : "))
	if g.p(0.5) {
		g.name(t, p, nameFull)
	} else {
		t.lit("____________")
	}
	t.lit(g.tr("    Date: ", "    Date : "))
	t.ent("DATE", g.anyDate())
	return &document{head: h, tail: t, unit: unit, minUnits: 2, maxUnits: 14}
}

// csvQuote quotes a CSV field when needed.
func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func buildCSV(g *gen) *document {
	sep := pick(g, []string{",", ",", ";", "\t"})
	cols := []string{"id", "first_name", "last_name", "email"}
	if g.fr {
		cols = []string{"id", "prenom", "nom", "email"}
	}
	extra := []string{"city", "phone", "signup_date", "amount"}
	var with []string
	for _, c := range extra {
		if g.p(0.5) {
			with = append(with, c)
		}
	}
	h := &builder{}
	h.lit(strings.Join(append(append(cols, with...), "product", "quantity", "plan", "status", "notes"), sep))
	plans := g.trl([]string{"basic|premium|business|trial"}, []string{"essentiel|premium|entreprise|essai"})
	status := g.trl([]string{"active|inactive|pending|cancelled"}, []string{"actif|inactif|en attente|résilié"})
	id := 1000 + g.n(9000)
	q := func(s string) string {
		if sep == "," {
			return csvQuote(s)
		}
		return s
	}
	unit := func(b *builder) {
		p := g.person()
		id += 1 + g.n(5)
		b.lit("\n" + strconv.Itoa(id) + sep)
		b.ent("FIRSTNAME", p.first)
		b.lit(sep)
		b.ent("LASTNAME", p.last)
		b.lit(sep)
		b.ent("EMAIL", p.email)
		for _, c := range with {
			b.lit(sep)
			switch c {
			case "city":
				b.ent("CITY", g.city(p.country))
			case "phone":
				b.ent("PHONENUMBER", g.phone(p.country))
			case "signup_date":
				b.ent("DATE", fmt.Sprintf("%d-%02d-%02d", 2018+g.n(8), 1+g.n(12), 1+g.n(28)))
			case "amount":
				b.ent("AMOUNT", fmt.Sprintf("%d.%02d", g.n(2000), g.n(100)))
			}
		}
		b.lit(sep + q(g.trl(invoiceItemsEN, invoiceItemsFR)) + sep + strconv.Itoa(1+g.n(20)))
		b.lit(sep + pick(g, strings.Split(plans, "|")) + sep + pick(g, strings.Split(status, "|")) + sep)
		if g.p(0.7) {
			b.lit(q(g.sentence()))
		}
	}
	return &document{head: h, unit: unit, minUnits: 2, maxUnits: 6}
}

// jsonString quotes s as a JSON string (no HTML escaping).
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func buildJSON(g *gen) *document {
	pretty := g.p(0.5)
	nl, ind := "", ""
	if pretty {
		nl, ind = "\n", "  "
	}
	p := g.person()
	h := &builder{}
	h.lit("{" + nl)
	key := func(b *builder, k string) { b.lit(ind + jsonString(k) + ": ") }
	str := func(b *builder, label, v string) { b.lit(`"`); b.ent(label, v); b.lit(`"`) }
	key(h, "id")
	h.lit(strconv.Itoa(100000+g.n(900000)) + "," + nl)
	if g.p(0.5) {
		key(h, "first_name")
		str(h, "FIRSTNAME", p.first)
		h.lit("," + nl)
		key(h, "last_name")
		str(h, "LASTNAME", p.last)
	} else {
		key(h, "name")
		h.lit(`"`)
		g.name(h, p, nameFull)
		h.lit(`"`)
	}
	// field writes `,"k": "v"` with v labelled; maybe does so with
	// probability prob, drawing v (with the generator) only then.
	field := func(k, label, v string) {
		h.lit("," + nl)
		key(h, k)
		str(h, label, v)
	}
	maybe := func(prob float64, k, label string, v func() string) {
		if g.p(prob) {
			field(k, label, v())
		}
	}
	field("email", "EMAIL", p.email)
	maybe(0.5, "phone", "PHONENUMBER", func() string { return g.phone(p.country) })
	maybe(0.4, "username", "USERNAME", func() string { return p.username })
	maybe(0.4, "city", "CITY", func() string { return g.city(p.country) })
	maybe(0.3, "last_login_ip", "IPV4", func() string { return g.v.Draw("IPV4", g.fr) })
	fields := [][2]string{{"status", pick(g, []string{"active", "suspended", "pending"})}, {"plan", pick(g, []string{"premium", "free", "team"})},
		{"locale", g.tr("en-GB", "fr-FR")}, {"newsletter", pick(g, []string{"true", "false"})}, {"theme", pick(g, []string{"dark", "light"})},
		{"two_factor", pick(g, []string{"true", "false"})}, {"source", pick(g, []string{"web", "ios", "android", "import"})},
		{"tier", pick(g, []string{"gold", "silver", "bronze"})}, {"verified", pick(g, []string{"true", "false"})},
		{"timezone", pick(g, []string{"Europe/Paris", "Europe/London", "America/New_York", "Asia/Tokyo"})},
		{"comment", ""}, {"notes", ""}, {"description", ""}, {"feedback", ""}, {"bio", ""}}
	// each key at most once (a JSON object has unique keys)
	for i := len(fields) - 1; i > 0; i-- {
		j := g.n(i + 1)
		fields[i], fields[j] = fields[j], fields[i]
	}
	next := 0
	unit := func(b *builder) {
		if next == len(fields) {
			return
		}
		kv := fields[next]
		next++
		b.lit("," + nl)
		key(b, kv[0])
		switch kv[1] {
		case "":
			b.lit(jsonString(g.sentence()))
		case "true", "false":
			b.lit(kv[1])
		default:
			b.lit(jsonString(kv[1]))
		}
	}
	t := &builder{}
	t.lit(nl + "}")
	return &document{head: h, tail: t, unit: unit, minUnits: 2, maxUnits: len(fields)}
}

func buildLog(g *gen) *document {
	users := []*person{g.person(), g.person(), g.person()}
	day := g.day(2020, 2026)
	hh, mm, ss := g.n(24), g.n(60), g.n(60)
	style := pick(g, []int{0, 0, 0, 1, 1, 2}) // 0 application, 1 access log, 2 kernel (uptime stamps)
	apache := style == 1
	uptime := float64(g.n(5000)) + g.f.Float64()
	tick := func() string {
		ss += 1 + g.n(20)
		mm += ss / 60
		ss %= 60
		hh += mm / 60
		mm %= 60
		hh %= 24
		return fmt.Sprintf("%02d:%02d:%02d", hh, mm, ss)
	}
	mon := monthsEN[int(day.Month())-1][:3]
	unit := func(b *builder) {
		if b.pos > 0 {
			b.lit("\n")
		}
		if style == 2 {
			uptime += g.f.Float64() * 3
			b.lit(fmt.Sprintf("[%12.6f] ", uptime))
			switch r := g.n(100); {
			case r < 8:
				b.lit("wlan0: associated with ")
				b.ent("MAC", strings.ToLower(g.v.Draw("MAC", false)))
			case r < 14:
				b.lit("audit: user=")
				b.ent("USERNAME", pick(g, users).username)
				b.lit(" login from ")
				b.ent("IPV4", g.v.Draw("IPV4", false))
			default:
				b.lit(pick(g, kernelLines))
			}
			return
		}
		if apache {
			ip := g.v.Draw(pick(g, []string{"IPV4", "IPV4", "IPV4", "IPV6"}), false)
			b.ent(map[bool]string{true: "IPV6", false: "IPV4"}[strings.Contains(ip, ":")], ip)
			b.lit(" - ")
			if g.p(0.4) {
				b.ent("USERNAME", pick(g, users).username)
			} else {
				b.lit("-")
			}
			b.lit(" [")
			b.ent("DATE", fmt.Sprintf("%02d/%s/%d", day.Day(), mon, day.Year()))
			b.lit(":")
			b.ent("TIME", tick())
			b.lit(" +0000] \"" + pick(g, []string{"GET", "GET", "POST", "PUT"}) + " " + pick(g, pathsLog) + " HTTP/1.1\" ")
			b.lit(pick(g, []string{"200", "200", "304", "404", "500", "302"}) + " " + strconv.Itoa(200+g.n(50000)) + " \"-\" \"")
			b.ent("USERAGENT", g.v.Draw("USERAGENT", false))
			b.lit("\"")
			return
		}
		if b.pos > 0 && g.p(0.3) {
			b.lit(pick(g, stackLines))
			return
		}
		b.ent("DATE", fmt.Sprintf("%d-%02d-%02d", day.Year(), int(day.Month()), day.Day()))
		b.lit(" ")
		b.ent("TIME", tick())
		b.lit("," + g.digits(3) + " ")
		switch r := g.n(100); {
		case r < 12:
			u := pick(g, users)
			b.lit("INFO  [auth] login succeeded for user=")
			b.ent("USERNAME", u.username)
			b.lit(" from ")
			b.ent("IPV4", g.v.Draw("IPV4", false))
		case r < 16:
			b.lit("WARN  [auth] failed login for ")
			b.ent("EMAIL", pick(g, users).email)
			b.lit(" (bad password)")
		case r < 19:
			b.lit("INFO  [mail] notification sent to ")
			b.ent("EMAIL", pick(g, users).email)
		default:
			line := pick(g, logEN)
			if strings.Contains(line, "%d") {
				v := 1 + g.n(900)
				switch {
				case strings.Contains(line, "attempt"):
					v = 1 + g.n(5)
				case strings.Contains(line, "%%"):
					v = 80 + g.n(20)
				case strings.Contains(line, "workers"):
					v = 1 << g.n(7)
				}
				line = fmt.Sprintf(line, v)
			}
			b.lit(line)
		}
	}
	maxUnits := 16
	if style == 2 {
		maxUnits = 30
	}
	if apache {
		maxUnits = 6
	}
	return &document{unit: unit, minUnits: 3, maxUnits: maxUnits}
}

func buildInvoice(g *gen) *document {
	seller, buyer := g.person(), g.person()
	h := &builder{}
	h.ent("COMPANYNAME", seller.company)
	h.lit("\n")
	g.address(h, seller.country, true, g.p(0.4))
	if g.p(0.6) {
		h.lit(g.tr("\nTel: ", "\nTél. : "))
		h.ent("PHONENUMBER", g.phone(seller.country))
	}
	h.lit(fmt.Sprintf(g.tr("\n\nINVOICE No. INV-%d-%04d", "\n\nFACTURE N° F%d-%04d"), 2019+g.n(8), g.n(10000)))
	h.lit(g.tr("\nDate: ", "\nDate : "))
	h.ent("DATE", g.anyDate())
	h.lit(g.tr("\nDue date: ", "\nÉchéance : "))
	h.ent("DATE", g.anyDate())
	if g.p(0.4) {
		h.lit(g.tr("\nCustomer no.: ", "\nN° client : "))
		h.ent("ACCOUNTNUMBER", g.digits(6+g.n(4)))
	}
	h.lit(g.tr("\n\nBill to:\n", "\n\nFacturé à :\n"))
	g.fullName(h, buyer)
	if g.p(0.5) {
		h.lit("\n")
		h.ent("COMPANYNAME", buyer.company)
	}
	h.lit("\n")
	g.address(h, buyer.country, true, g.p(0.4))
	h.lit(g.tr("\n\nDescription | Qty | Amount", "\n\nDésignation | Qté | Montant"))
	unit := func(b *builder) {
		b.lit("\n" + g.trl(invoiceItemsEN, invoiceItemsFR) + " | " + strconv.Itoa(1+g.n(12)) + " | ")
		g.money(b, 10, 5000)
		if g.p(0.3) {
			b.lit("\n" + g.trl(termsEN, termsFR))
		}
	}
	t := &builder{}
	t.lit(g.tr("\n\nTotal: ", "\n\nTotal TTC : "))
	g.money(t, 100, 30000)
	if g.p(0.7) {
		t.lit(g.tr("\nPayment by bank transfer to IBAN ", "\nRèglement par virement sur l'IBAN "))
		t.ent("IBAN", g.v.Draw("IBAN", g.fr))
		if g.p(0.5) {
			t.lit(", BIC ")
			t.ent("BIC", g.v.Draw("BIC", g.fr))
		}
	} else {
		t.lit(g.tr("\nPaid by card ", "\nPayé par carte "))
		t.ent("CREDITCARDNUMBER", g.v.Draw("CREDITCARDNUMBER", g.fr))
	}
	t.lit("\n\n")
	t.lit(g.trl(termsEN, termsFR))
	t.lit(" ")
	g.paragraph(t, 2+g.n(3))
	return &document{head: h, tail: t, unit: unit, minUnits: 1, maxUnits: 5}
}

func buildMedical(g *gen) *document {
	pat, doc := g.person(), g.person()
	h := &builder{}
	h.lit(g.trl([]string{"Consultation note", "Clinical summary", "Discharge letter", "Referral"}, []string{"Compte rendu de consultation", "Synthèse clinique", "Lettre de sortie", "Courrier d'adressage"}))
	h.lit(g.tr("\nPatient: ", "\nPatient : "))
	g.fullName(h, pat)
	visit := g.day(2018, 2026)
	born := g.day(1935, 2008)
	if g.p(0.7) {
		h.lit(g.tr(", born ", ", né(e) le "))
		h.ent("DOB", g.date(born))
	}
	if g.p(0.5) {
		h.lit(", ")
		age := visit.Year() - born.Year()
		if visit.YearDay() < born.YearDay() {
			age--
		}
		g.age(h, age, age)
	}
	h.lit(g.tr("\nDate of visit: ", "\nDate de consultation : "))
	h.ent("DATE", g.date(visit))
	h.lit("\n\n")
	sent := func() string {
		if g.p(0.7) {
			return g.fresh(medicalEN, medicalFR)
		}
		return g.sentence()
	}
	t := &builder{}
	t.lit("\n\n")
	if g.p(0.8) {
		t.ent("PREFIX", g.tr(pick(g, []string{"Dr.", "Dr", "Dr."}), pick(g, []string{"Dr", "Docteur", "Pr"})))
		t.lit(" ")
		g.name(t, doc, pick(g, []int{nameFull, nameFull, nameInitial, nameUpperLast}))
	} else {
		g.name(t, doc, namePrefixFull)
	}
	if g.p(0.5) {
		t.lit(", ")
		t.ent("JOBTITLE", g.trl([]string{"General Practitioner", "Cardiologist", "Physiotherapist", "Consultant Physician"}, []string{"médecin généraliste", "cardiologue", "kinésithérapeute", "pneumologue"}))
	}
	return &document{head: h, tail: t, unit: g.proseUnit([]*person{doc}, 0.04, sent), minUnits: 3, maxUnits: 30}
}

func buildHR(g *gen) *document {
	emp, mgr := g.person(), g.person()
	h := &builder{}
	h.lit(g.trl([]string{"Annual review", "HR note", "Performance review", "Onboarding record"}, []string{"Entretien annuel", "Note RH", "Évaluation de performance", "Fiche d'intégration"}))
	h.lit(g.tr("\nEmployee: ", "\nSalarié : "))
	g.fullName(h, emp)
	h.lit(g.tr("\nJob title: ", "\nPoste : "))
	h.ent("JOBTITLE", emp.title)
	h.lit(g.tr("\nManager: ", "\nResponsable : "))
	g.anyName(h, mgr)
	if g.p(0.6) {
		h.lit(g.tr("\nStart date: ", "\nDate d'entrée : "))
		h.ent("DATE", g.anyDate())
	}
	if g.p(0.3) {
		h.lit(g.tr("\nSalary: ", "\nSalaire : "))
		g.money(h, 25000, 120000)
	}
	h.lit("\n\n")
	sent := func() string {
		if g.p(0.65) {
			return g.fresh(hrEN, hrFR)
		}
		return g.sentence()
	}
	return &document{head: h, unit: g.proseUnit([]*person{emp, mgr}, 0.08, sent), minUnits: 3, maxUnits: 30}
}

func buildCV(g *gen) *document {
	p := g.person()
	h := &builder{}
	g.name(h, p, pick(g, []int{nameCaps, nameFull, nameUpperLast}))
	h.lit("\n")
	h.ent("JOBTITLE", p.title)
	h.lit("\n")
	h.ent("EMAIL", g.emailFor(p, false))
	h.lit(" | ")
	h.ent("PHONENUMBER", g.phone(p.country))
	h.lit(" | ")
	h.ent("CITY", g.city(p.country))
	if g.p(0.5) {
		h.lit(", ")
		h.ent("STATE", g.tr(p.country.nameEN, p.country.nameFR))
	}
	if g.p(0.3) {
		h.lit("\n")
		h.ent("URL", "https://www.linkedin.com/in/"+p.username)
	}
	h.lit(g.tr("\n\nPROFILE\n", "\n\nPROFIL\n"))
	g.paragraph(h, 1+g.n(2))
	h.lit(g.tr("\n\nEXPERIENCE", "\n\nEXPÉRIENCE"))
	year := 2024 - g.n(3)
	unit := func(b *builder) {
		start := year - 1 - g.n(5)
		c, _ := g.company()
		b.lit(fmt.Sprintf("\n\n%d–%d  ", start, year))
		b.ent("JOBTITLE", g.jobTitle())
		b.lit(", ")
		b.ent("COMPANYNAME", c)
		if g.p(0.5) {
			b.lit(", ")
			b.ent("CITY", g.city(g.pickCountry()))
		}
		year = start
		for i, n := 0, 1+g.n(3); i < n; i++ {
			b.lit("\n- " + g.fresh(cvBulletsEN, cvBulletsFR))
		}
	}
	t := &builder{}
	t.lit(g.tr("\n\nSKILLS\n", "\n\nCOMPÉTENCES\n"))
	for i, n := 0, 3+g.n(4); i < n; i++ {
		t.lit("- " + g.trl(skillsEN, skillsFR) + "\n")
	}
	t.lit(g.tr("\nEDUCATION\n", "\nFORMATION\n") + g.trl(educationEN, educationFR))
	t.lit(g.tr("\n\nLANGUAGES\nEnglish (fluent), French (native), Spanish (basic)", "\n\nLANGUES\nFrançais (langue maternelle), anglais (courant), allemand (notions)"))
	t.lit(g.tr("\n\nINTERESTS\n", "\n\nCENTRES D'INTÉRÊT\n") + g.trl([]string{"Hiking, chess and photography.", "Running, cooking and jazz.", "Sailing and volunteering at the local library."},
		[]string{"Randonnée, échecs et photographie.", "Course à pied, cuisine et jazz.", "Voile et bénévolat à la bibliothèque."}))
	return &document{head: h, tail: t, unit: unit, minUnits: 2, maxUnits: 6}
}

func buildNotes(g *gen) *document {
	people := []*person{g.person(), g.person(), g.person()}
	h := &builder{}
	h.lit(g.trl([]string{"Meeting notes", "Minutes", "Weekly sync", "Project kick-off"}, []string{"Compte rendu de réunion", "Procès-verbal", "Point hebdomadaire", "Lancement du projet"}))
	h.lit(" — ")
	h.ent("DATE", g.anyDate())
	h.lit(g.tr("\nAttendees: ", "\nParticipants : "))
	for i, p := range people {
		if i > 0 {
			h.lit(", ")
		}
		g.name(h, p, pick(g, []int{nameFull, nameFirst, nameInitial}))
	}
	h.lit("\n")
	unit := func(b *builder) {
		b.lit("\n- ")
		if g.p(0.15) {
			p := pick(g, people)
			b.lit(g.tr("Action: ", "Action : "))
			b.ent("FIRSTNAME", p.first)
			b.lit(g.tr(" to ", " doit ") + pick(g, g.choose(requestsEN, requestsFR)) + " " + pick(g, g.choose(whenEN, whenFR)) + ".")
			return
		}
		b.lit(g.sentence())
	}
	return &document{head: h, unit: unit, minUnits: 3, maxUnits: 30}
}

// buildProse is running text with few or no entities: an article, a memo, a
// blog-like paragraph.
func buildProse(g *gen) *document {
	var people []*person
	if g.p(0.5) {
		people = []*person{g.person()}
	}
	h := &builder{}
	if g.p(0.5) {
		h.lit(capFirst(strings.TrimPrefix(pick(g, g.choose(subjectsEN, subjectsFR)), "f:")) + "\n\n")
	}
	return &document{head: h, unit: g.proseUnit(people, 0.06, g.sentence), minUnits: 3, maxUnits: 25}
}

func (g *gen) choose(en, fr []string) []string {
	if g.fr {
		return fr
	}
	return en
}

// buildShort is a short message (SMS, sticky note, one-line request): one
// to three sentences, often with PII.
func buildShort(g *gen) *document {
	people := []*person{g.person()}
	h := &builder{}
	if g.p(0.3) {
		h.lit(g.trl([]string{"Note: ", "Reminder: ", "SMS: ", "Message: ", "To do: "}, []string{"Note : ", "Rappel : ", "SMS : ", "Message : ", "À faire : "}))
	}
	minUnits := 1
	if g.p(0.7) {
		g.piiSentence(h, people)
		minUnits = 0
	}
	unit := func(b *builder) {
		if b.pos > 0 || (h.pos > 0 && !h.endsWith(" ")) {
			b.lit(" ")
		}
		if g.p(0.4) {
			g.piiSentence(b, people)
			return
		}
		b.lit(g.sentence())
	}
	return &document{head: h, unit: unit, minUnits: minUnits, maxUnits: 2}
}
