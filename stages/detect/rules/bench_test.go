package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/piimask/piimask/record"
)

// benchCorpus builds n deterministic English and French sentences, most with
// embedded PII, some without any.
func benchCorpus(n int) []string {
	r := rand.New(rand.NewPCG(7, 11))
	first := []string{"Élodie", "Jean", "Marie-Thérèse", "Oliver", "Amélie", "Noah", "François", "Chloé", "Liam", "Zoë"}
	emails := []string{"elodie.martin@exemple.fr", "j.smith@mail.co.uk", "contact+promo@société.fr", "noah99@gmail.com"}
	phones := []string{"+33 6 12 34 56 78", "06 12 34 56 78", "(555) 123-4567", "+44 20 7946 0958", "001-728-226-5050x1234", "01.23.45.67.89"}
	cards := []string{"4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "6011111111111117"}
	ibans := []string{"FR14 2004 1010 0505 0001 3M02 606", "GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00"}
	dates := []string{"12/05/1990", "3 mars 2021", "March 3rd, 2021", "2023-05-12", "1er janvier 2000", "14 février 1985"}
	templates := []string{
		"Bonjour %[1]s, votre conseiller vous rappellera au %[3]s avant le %[6]s. Merci de ne pas répondre à %[2]s.",
		"Hi %[1]s, we received your payment with card %[4]s on %[6]s; receipts go to %[2]s.",
		"Le virement vers l'IBAN %[5]s (BIC BNPAFRPPXXX) a été effectué le %[6]s à 14h30.",
		"Please update the shipping address: 12 Baker Street, London, postcode NW1 6XE, phone %[3]s.",
		"Connexion depuis 192.168.%[7]d.%[8]d avec Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 à 09:15.",
		"The technician replaced the device with IMEI 490154203237518 and MAC 00:1A:2B:3C:4D:5E at 10:45 am.",
		"Envoyez 0,5 BTC à 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ou en ETH à 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.",
		"Vehicle %[1]s registered with VIN 1M8GDM9AXKP042788, SSN 123-45-6789, born %[6]s.",
		"Rendez-vous au 48.8566, 2.3522 près de la tour, ou écrivez-nous sur https://www.exemple.fr/contact?id=%[7]d.",
		"Our quarterly meeting covered revenue growth, hiring plans and the new office in Lyon; nothing personal was shared.",
		"Nous avons bien reçu votre dossier et nous reviendrons vers vous dans les meilleurs délais, cordialement.",
		"Your one-time password is Xy7#kQ2p and your PIN code 4821; never share them, %[1]s.",
		"Le serveur fe80::1ff:fe23:4567:890a ne répond plus depuis 23:59:59, voir le ticket %[7]d%[8]d.",
	}
	out := make([]string, n)
	for i := range out {
		t := templates[r.IntN(len(templates))]
		out[i] = fmt.Sprintf(t, first[r.IntN(len(first))], emails[r.IntN(len(emails))], phones[r.IntN(len(phones))],
			cards[r.IntN(len(cards))], ibans[r.IntN(len(ibans))], dates[r.IntN(len(dates))], r.IntN(255), r.IntN(255))
	}
	return out
}

// BenchmarkRules measures detection throughput on a mixed EN/FR corpus.
func BenchmarkRules(b *testing.B) {
	m := mustNew(b, Options{})
	texts := benchCorpus(400)
	batch := make([]record.Record, len(texts))
	size := 0
	for i, t := range texts {
		batch[i] = record.Record{Text: t}
		size += len(t)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Detect(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew measures compiling all recognizers.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
