package docs

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"
)

// Prose is extra PII-free text, one sentence per line, per language, mixed
// into the built-in pools. Load it with LoadProse; it is read-only.
type Prose struct {
	en, fr []string
}

// Len returns the number of English and French sentences.
func (p *Prose) Len() (en, fr int) {
	if p == nil {
		return 0, 0
	}
	return len(p.en), len(p.fr)
}

// LoadProse reads a prose file: one sentence per line, each line
// "en<TAB>sentence" or "fr<TAB>sentence"; blank lines and lines starting with
// '#' are skipped. Any other line is an error naming the file and line.
func LoadProse(path string) (*Prose, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prose: %w", err)
	}
	defer f.Close()
	p := &Prose{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		lang, text, ok := strings.Cut(s, "\t")
		text = strings.TrimSpace(text)
		switch {
		case !ok || text == "":
			return nil, fmt.Errorf("prose: %s:%d: want \"en|fr<TAB>sentence\"", path, line)
		case lang == "en":
			p.en = append(p.en, text)
		case lang == "fr":
			p.fr = append(p.fr, text)
		default:
			return nil, fmt.Errorf("prose: %s:%d: unknown language %q (want en or fr)", path, line, lang)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("prose: %s:%d: %w", path, line+1, err)
	}
	if len(p.en)+len(p.fr) == 0 {
		return nil, fmt.Errorf("prose: %s: no sentences", path)
	}
	return p, nil
}

// The built-in pools. Everything here is PII-free by construction: weekday
// and month names, product names and capitalised sentence starts are
// ordinary words (label O).

var openersEN = []string{
	"Unfortunately, ", "As discussed, ", "In the meantime, ", "Also, ", "On a separate note, ", "Just a reminder: ",
	"To be honest, ", "Overall, ", "For now, ", "As a result, ", "If possible, ", "Thankfully, ", "Last Tuesday, ",
	"Next week, ", "In March, ", "By Friday, ", "This morning, ", "Since the last update, ", "Before the holidays, ",
	"As far as I know, ", "Apparently, ", "Good news: ", "In short, ", "Meanwhile, ", "On Monday, ", "Later this month, ",
	"According to the schedule, ", "Once again, ", "As expected, ", "Frankly, ", "In any case, ", "Luckily, ",
}
var subjectsEN = []string{
	"the new schedule", "our team", "the quarterly report", "the weather", "the delivery", "the meeting room",
	"the budget", "the printer on the second floor", "the client", "the coffee at the conference", "the updated contract",
	"the shipment", "the Excel template", "the Teams channel", "the onboarding session", "the annual review",
	"the migration", "the project plan", "everyone in the office", "the training", "the first draft", "the website",
	"the staging server", "the hotel", "the train", "the parcel", "the new policy", "the customer survey", "the workshop",
	"the spring catalogue", "the Christmas party", "the kitchen on the third floor", "the car park", "the mobile app",
	"the Windows update", "the sales forecast", "the marketing campaign", "the warehouse", "the audit", "the presentation",
	"the Monday stand-up", "the VPN", "the shared calendar", "the lunch menu", "the summer timetable", "the proposal",
}
var predicatesEN = []string{
	"was lovely", "went better than expected", "needs another review", "has been postponed", "is almost ready",
	"looks good to me", "will take a little longer", "arrived on time", "was cancelled at the last minute",
	"seems to be working again", "has been approved", "is still pending", "was a great success", "needs to be signed",
	"is available on the shared drive", "should be ready by the end of the week", "caused some confusion",
	"has improved a lot since January", "was discussed at length", "is on hold until further notice",
	"was much busier than usual", "is running a few days behind", "will be updated next quarter", "felt rather rushed",
	"has finally been fixed", "still needs a few changes", "made a good impression", "is better than last year",
	"was moved to the afternoon", "keeps crashing on older phones", "is fully booked in August", "exceeded our expectations",
	"raised a few good questions", "is now open to everyone", "will be discussed on Thursday", "was quieter than expected",
	"has been delayed by the strike", "was slightly over budget", "is much easier to read now", "took longer than planned",
}
var fixedEN = []string{
	"Thank you for your patience.", "Please let me know if you have any questions.", "I hope this message finds you well.",
	"It was a pleasure meeting you last week.", "Let us know what works best for you.", "We look forward to hearing from you.",
	"Please find attached the documents you requested.", "I am sorry for the delay in getting back to you.",
	"Thank you for meeting with us last Tuesday.", "The weather was lovely and the coffee was excellent.",
	"Thanks again for your help with this.", "I will keep you posted.", "Have a great weekend!",
	"Feel free to forward this to anyone who might be interested.", "We appreciate your feedback.",
	"This is a friendly reminder about the upcoming deadline.", "Sorry for the short notice.",
	"Could you confirm that this works for you?", "I have attached a short summary below.",
	"Nothing else has changed since my last message.", "We are still waiting for the final figures.",
	"Happy New Year to you and your family!", "Hope you had a relaxing holiday.", "Let's catch up after lunch.",
	"Monday mornings are always a bit hectic here.", "The office will be closed on Friday afternoon.",
	"Most of the team will be on leave in August.", "The new coffee machine is a big improvement.",
	"We had a very productive discussion.", "Everything is on track for the launch.", "No action is needed on your side.",
	"The figures look much better than in the first quarter.", "I completely agree with your suggestion.",
	"That sounds like a good plan.", "We will get back to you as soon as possible.", "Apologies for any inconvenience caused.",
	"Please do not reply to this automated message.", "Your request has been received and is being processed.",
	"The conference in Spring was really well organised.", "Best of luck with the move!", "Congratulations on the new role!",
	"We can discuss the details on Wednesday.", "It rained all week, so the picnic was moved indoors.",
	"The slides are in the usual folder.", "Let me check and come back to you.", "Many thanks for the quick reply.",
	// capitalised words that are also first names, used as ordinary words (O)
	"Will you be able to join us?", "May I suggest a shorter agenda?", "June was a very busy month for the whole team.",
	"April showers delayed the outdoor event.", "Grace periods for late payments are no longer offered.",
	"Frank feedback is always welcome here.", "Bill payments can now be made online.", "Mark the date in your calendar.",
	"Rose bushes were planted along the entrance.", "Sterling has dropped against the euro this week.",
	"Art supplies for the workshop are in the cupboard.", "Amber warnings were issued for the whole region.",
}
var requestsEN = []string{
	"send me the final version", "confirm the new date", "check the figures again", "review the attached draft",
	"update the spreadsheet", "book a room for the workshop", "sign the last page", "share your availability",
	"forward the minutes to the team", "take a look at the proposal", "print two copies", "reply before the deadline",
	"reschedule the call", "double-check the order", "add a short comment", "approve the expense claim",
}
var whenEN = []string{
	"tomorrow", "next Monday", "by Friday", "later today", "before the end of the month", "in March", "after the holidays",
	"this afternoon", "early next week", "by Thursday morning", "before the board meeting", "in the new year", "tonight",
	"at your earliest convenience", "next quarter", "on Wednesday",
}

var openersFR = []string{
	"Malheureusement, ", "Comme convenu, ", "En attendant, ", "Par ailleurs, ", "Petit rappel : ", "Pour l'instant, ",
	"Finalement, ", "Dans l'ensemble, ", "Si possible, ", "Heureusement, ", "Mardi dernier, ", "La semaine prochaine, ",
	"En mars, ", "D'ici vendredi, ", "Ce matin, ", "Depuis la dernière mise à jour, ", "Avant les vacances, ",
	"À ma connaissance, ", "Apparemment, ", "Bonne nouvelle : ", "Bref, ", "Lundi, ", "D'après le planning, ",
	"Comme prévu, ", "Quoi qu'il en soit, ", "En revanche, ", "Pour rappel, ", "Entre-temps, ",
}
var subjectsFR = []string{ // "f:" marks a feminine subject (predicates agree with it)
	"le nouveau planning", "f:notre équipe", "le rapport trimestriel", "f:la météo", "f:la livraison", "f:la salle de réunion",
	"le budget", "f:l'imprimante du deuxième étage", "le client", "le café du salon", "le contrat mis à jour",
	"l'envoi", "le modèle Excel", "le canal Teams", "f:la session d'accueil", "l'entretien annuel", "f:la migration",
	"le plan de projet", "f:toute l'équipe", "f:la formation", "le premier brouillon", "le site internet", "le serveur de test",
	"l'hôtel", "le train", "le colis", "f:la nouvelle procédure", "f:l'enquête de satisfaction", "l'atelier",
	"le catalogue de printemps", "f:la soirée de Noël", "f:la cantine", "le parking", "f:l'application mobile",
	"f:la mise à jour de Windows", "f:la prévision des ventes", "f:la campagne marketing", "l'entrepôt", "l'audit",
	"f:la présentation", "le point du lundi", "le VPN", "l'agenda partagé", "le menu du jour", "f:la proposition",
}
var predicatesFR = []string{ // "{m|f}" agrees with the subject
	"était très agréable", "s'est mieux passé{|e} que prévu", "doit être relu{|e}", "a été reporté{|e}", "est presque prêt{|e}",
	"me semble correct{|e}", "prendra un peu plus de temps", "est arrivé{|e} à l'heure", "a été annulé{|e} au dernier moment",
	"fonctionne de nouveau", "a été validé{|e}", "est toujours en attente", "a été un vrai succès", "doit être signé{|e}",
	"est disponible sur le drive partagé", "devrait être prêt{|e} en fin de semaine", "a créé un peu de confusion",
	"s'est beaucoup amélioré{|e} depuis janvier", "a été longuement discuté{|e}", "est suspendu{|e} jusqu'à nouvel ordre",
	"était bien plus chargé{|e} que d'habitude", "a quelques jours de retard", "sera mis{|e} à jour au prochain trimestre",
	"a enfin été corrigé{|e}", "demande encore quelques modifications", "a fait bonne impression", "est mieux que l'an dernier",
	"a été déplacé{|e} à l'après-midi", "plante souvent sur les anciens téléphones", "est complet{|ète} en août",
	"a dépassé nos attentes", "a soulevé de bonnes questions", "est désormais ouvert{|e} à tous", "sera abordé{|e} jeudi",
	"a été retardé{|e} par la grève", "a légèrement dépassé le budget", "est beaucoup plus lisible maintenant",
}
var fixedFR = []string{
	"Merci pour votre patience.", "N'hésitez pas à me contacter pour toute question.", "J'espère que vous allez bien.",
	"Ce fut un plaisir de vous rencontrer la semaine dernière.", "Dites-nous ce qui vous convient le mieux.",
	"Dans l'attente de votre retour, je reste à votre disposition.", "Vous trouverez ci-joint les documents demandés.",
	"Désolé pour ce retour tardif.", "Merci de nous avoir reçus mardi dernier.", "Il faisait beau et le café était excellent.",
	"Merci encore pour votre aide.", "Je vous tiens au courant.", "Bon week-end à tous !",
	"Vous pouvez transférer ce message aux personnes intéressées.", "Nous vous remercions pour vos remarques.",
	"Ceci est un petit rappel concernant la date limite.", "Désolée de prévenir si tard.",
	"Pouvez-vous me confirmer que cela vous convient ?", "Vous trouverez un court résumé ci-dessous.",
	"Rien n'a changé depuis mon dernier message.", "Nous attendons toujours les chiffres définitifs.",
	"Bonne année à vous et à vos proches !", "J'espère que vous avez passé de bonnes vacances.", "On en reparle après le déjeuner.",
	"Le lundi matin est toujours un peu chargé.", "Le bureau sera fermé vendredi après-midi.",
	"La plupart de l'équipe sera en congé en août.", "La nouvelle machine à café est une vraie amélioration.",
	"Nous avons eu une discussion très constructive.", "Tout est prêt pour le lancement.", "Aucune action n'est requise de votre part.",
	"Les chiffres sont bien meilleurs qu'au premier trimestre.", "Je suis tout à fait d'accord avec votre proposition.",
	"Cela me paraît être un bon plan.", "Nous reviendrons vers vous dès que possible.", "Veuillez nous excuser pour la gêne occasionnée.",
	"Merci de ne pas répondre à ce message automatique.", "Votre demande a bien été reçue et est en cours de traitement.",
	"Le salon du printemps était vraiment bien organisé.", "Bon courage pour le déménagement !", "Félicitations pour ce nouveau poste !",
	"Nous pourrons voir les détails mercredi.", "Il a plu toute la semaine, le pique-nique a donc eu lieu à l'intérieur.",
	"Les diapositives sont dans le dossier habituel.", "Je vérifie et je reviens vers vous.", "Merci beaucoup pour la réponse rapide.",
	// mots capitalisés qui sont aussi des prénoms, employés comme mots ordinaires (O)
	"Pierre qui roule n'amasse pas mousse.", "Rose et blanc sont les couleurs retenues pour l'affiche.",
	"Marguerites et tulipes décoreront l'accueil.", "Claire et nette, la présentation a convaincu le comité.",
	"Juin a été un mois très chargé pour toute l'équipe.", "Aimé de tous, le nouveau menu de la cantine restera en place.",
	"Olive et citron sont au menu du buffet.", "Constance et régularité sont les clés du projet.",
}
var requestsFR = []string{
	"m'envoyer la version finale", "confirmer la nouvelle date", "revérifier les chiffres", "relire le brouillon ci-joint",
	"mettre à jour le tableau", "réserver une salle pour l'atelier", "signer la dernière page", "partager vos disponibilités",
	"transférer le compte rendu à l'équipe", "jeter un œil à la proposition", "imprimer deux exemplaires",
	"répondre avant la date limite", "décaler l'appel", "vérifier la commande", "ajouter un court commentaire",
	"valider la note de frais",
}
var whenFR = []string{
	"demain", "lundi prochain", "d'ici vendredi", "dans la journée", "avant la fin du mois", "en mars", "après les vacances",
	"cet après-midi", "en début de semaine prochaine", "jeudi matin", "avant le conseil d'administration", "en début d'année",
	"ce soir", "dès que possible", "au prochain trimestre", "mercredi",
}

// sentence returns one PII-free sentence of general business prose.
func (g *gen) sentence() string {
	if g.prose != nil && g.p(0.4) {
		list := g.prose.en
		if g.fr {
			list = g.prose.fr
		}
		if len(list) > 0 {
			return pick(g, list)
		}
	}
	switch g.n(10) {
	case 0, 1, 2:
		return g.fresh(fixedEN, fixedFR)
	case 3:
		if g.fr {
			if g.p(0.4) {
				return deFR("Merci de ", pick(g, requestsFR)) + " " + pick(g, whenFR) + "."
			}
			return pick(g, []string{"Pourriez-vous ", "Peux-tu ", "Pouvez-vous "}) + pick(g, requestsFR) + " " + pick(g, whenFR) + pick(g, []string{" ?", " svp ?", " ?"})
		}
		if g.p(0.4) {
			return "Please " + pick(g, requestsEN) + " " + pick(g, whenEN) + pick(g, []string{".", "!", "."})
		}
		return pick(g, []string{"Could you ", "Can you ", "Would you "}) + pick(g, requestsEN) + " " + pick(g, whenEN) + pick(g, []string{"?", ", please?", "?"})
	case 4:
		if g.fr {
			return pick(g, []string{"Je vais ", "Nous allons ", "Je pense ", "Il faudra "}) + strings.Replace(pick(g, requestsFR), "m'envoyer", "envoyer", 1) + " " + pick(g, whenFR) + "."
		}
		return pick(g, []string{"I will ", "We will ", "I plan to ", "Someone needs to "}) + strings.Replace(pick(g, requestsEN), "send me ", "send ", 1) + " " + pick(g, whenEN) + "."
	}
	var s string
	if g.fr {
		op := ""
		if g.p(0.4) {
			op = pick(g, openersFR)
		}
		cl := agreeFR(pick(g, subjectsFR), pick(g, predicatesFR))
		if op == "" {
			cl = capFirst(cl)
		}
		s = op + cl + "."
	} else {
		op := ""
		if g.p(0.4) {
			op = pick(g, openersEN)
		}
		cl := pick(g, subjectsEN) + " " + pick(g, predicatesEN)
		if op == "" {
			cl = capFirst(cl)
		}
		s = op + cl + "."
	}
	return s
}

// agreeFR joins a French subject ("f:" marks the feminine) and a predicate
// whose "{m|f}" groups agree with it.
func agreeFR(subject, pred string) string {
	fem := strings.HasPrefix(subject, "f:")
	subject = strings.TrimPrefix(subject, "f:")
	var b strings.Builder
	for {
		i := strings.IndexByte(pred, '{')
		if i < 0 {
			b.WriteString(pred)
			break
		}
		j := strings.IndexByte(pred[i:], '}')
		m, f, _ := strings.Cut(pred[i+1:i+j], "|")
		b.WriteString(pred[:i])
		if fem {
			if strings.HasPrefix(f, "ète") { // complet → complète
				s := b.String()
				b.Reset()
				b.WriteString(strings.TrimSuffix(s, "et"))
			}
			b.WriteString(f)
		} else {
			b.WriteString(m)
		}
		pred = pred[i+j+1:]
	}
	return subject + " " + b.String()
}

// deFR joins a phrase ending in "de " to s, eliding before a vowel
// ("Merci d'imprimer").
func deFR(head, s string) string {
	if r, _ := utf8.DecodeRuneInString(s); strings.ContainsRune("aeiouyéèêàâîôûh", r) && strings.HasSuffix(head, "de ") {
		return strings.TrimSuffix(head, "de ") + "d'" + s
	}
	return head + s
}

// fresh picks from the language's list a sentence not yet used in the
// document when it can (a few tries), so that short pools do not repeat.
func (g *gen) fresh(en, fr []string) string {
	list := g.choose(en, fr)
	s := pick(g, list)
	for i := 0; i < 3 && g.used[s]; i++ {
		s = pick(g, list)
	}
	g.used[s] = true
	return s
}

// paragraph writes n sentences of prose.
func (g *gen) paragraph(b *builder, n int) {
	for i := 0; i < n; i++ {
		if i > 0 {
			b.lit(" ")
		}
		b.lit(g.sentence())
	}
}
