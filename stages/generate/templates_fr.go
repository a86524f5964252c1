package generate

// templatesFR are the French templates (syntax: see parseTemplate).
var templatesFR = []string{
	// courriels
	`{?Bonjour|Madame, Monsieur|Cher client}, {PREFIX} {LASTNAME}, nous avons bien mis à jour votre adresse e-mail : {EMAIL}. En cas de question, {COMPANYNAME} vous rappellera au {PHONENUMBER}.`,
	`De : {FIRSTNAME} {LASTNAME} <{EMAIL}>
Objet : réunion du {DATE}

Bonjour à tous, pouvons-nous décaler la réunion à {TIME} ? Mon nouveau numéro est le {PHONENUMBER}. Merci, {FIRSTNAME}`,
	`{PREFIX} {FIRSTNAME} {MIDDLENAME} {LASTNAME}, nous avons le plaisir de vous proposer le poste de {JOBTITLE} chez {COMPANYNAME} à compter du {DATE}. Merci de renvoyer le contrat signé à {EMAIL}.`,
	`{FIRSTNAME:a} a transféré le message à {FIRSTNAME:b} ({EMAIL:b}) pour vérifier la facture de {AMOUNT} {CURRENCYSYMBOL} avant le {DATE}.`,
	// support
	`Ticket n° {ACCOUNTNUMBER} : l'utilisateur {USERNAME} ne peut plus se connecter depuis la réinitialisation de son mot de passe. Dernière connexion depuis {IPV4} à {TIME} le {DATE}. Navigateur : {USERAGENT}`,
	`Chat support — {FIRSTNAME} {LASTNAME} signale que l'application plante sur son téléphone (IMEI {PHONEIMEI}). Rappel demandé au {PHONENUMBER} avant {TIME}.`,
	`Bonjour, mon identifiant est {USERNAME} et j'ai oublié mon mot de passe. Le mot de passe provisoire ({PASSWORD}) ne fonctionne pas sur {URL}. Merci d'avance, {FIRSTNAME}`,
	`Réclamation : {PREFIX} {FIRSTNAME} {LASTNAME}, {AGE} ans, conteste un débit de {AMOUNT} {CURRENCYCODE} sur la carte {MASKEDNUMBER}. Contact : {EMAIL}.`,
	// RH
	`Mise à jour du dossier RH — {FIRSTNAME} {LASTNAME}, {JOBTYPE} au service {JOBAREA}, né(e) le {DOB}, n° de sécurité sociale {SSN}. Nouvelle adresse : {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {ZIPCODE} {CITY}.`,
	`Félicitons {FIRSTNAME} {LASTNAME}, nommé(e) {JOBTITLE} ! {FIRSTNAME} a rejoint {COMPANYNAME} en {?2019|2021|2023} ; son adresse : {EMAIL}.`,
	`Avis de paie : le salaire de {PREFIX} {LASTNAME} ({ACCOUNTNAME}, compte {ACCOUNTNUMBER}) sera versé sur l'IBAN {IBAN}, BIC {BIC}, le {DATE}.`,
	`Entretien de départ avec {FIRSTNAME} {LASTNAME} ({JOBTITLE}) le {DATE} à {TIME}. Merci de récupérer le badge et l'ordinateur (MAC {MAC}).`,
	`Fiche contact d'urgence : {FIRSTNAME} {MIDDLENAME} {LASTNAME}, genre {GENDER}, {AGE} ans, téléphone {PHONENUMBER}, domicile {BUILDINGNUMBER} {STREET}, {CITY}.`,
	// banque
	`Votre virement de {AMOUNT} {CURRENCYSYMBOL} vers l'IBAN {IBAN} (BIC {BIC}) a été exécuté le {DATE} à {TIME}. Si vous n'en êtes pas à l'origine, appelez le {PHONENUMBER}.`,
	`Paiement refusé : carte {CREDITCARDISSUER} {CREDITCARDNUMBER}, cryptogramme {CREDITCARDCVV}, montant {AMOUNT} {CURRENCYCODE}. Titulaire : {FIRSTNAME} {LASTNAME}.`,
	`{PREFIX} {LASTNAME}, le code confidentiel de votre nouvelle carte {CREDITCARDISSUER} est {PIN}. Ne le communiquez jamais, pas même au personnel de {COMPANYNAME}.`,
	`Relevé du compte {ACCOUNTNUMBER} ({ACCOUNTNAME}) : solde initial {AMOUNT} {CURRENCYNAME}, {?3|5|12} opérations, arrêté au {DATE}.`,
	`Ordre de virement : bénéficiaire {FIRSTNAME} {LASTNAME}, {BUILDINGNUMBER} {STREET}, {ZIPCODE} {CITY}. IBAN : {IBAN}. Montant : {AMOUNT} {CURRENCYCODE}.`,
	`Merci d'envoyer l'équivalent de {AMOUNT} {CURRENCYCODE} en bitcoins à l'adresse {BITCOINADDRESS} avant le {DATE} ; le reste ira sur le portefeuille Ethereum {ETHEREUMADDRESS}.`,
	`Alerte retrait : {AMOUNT} LTC envoyés vers {LITECOINADDRESS} depuis l'IP {IP} à {TIME}. Si ce n'est pas vous, changez le mot de passe du compte {USERNAME}.`,
	`Remboursement accepté pour {FIRSTNAME} {LASTNAME} : {AMOUNT} {CURRENCYSYMBOL} recrédités sur la carte {CREDITCARDISSUER} se terminant par {MASKEDNUMBER}.`,
	// santé
	`Rappel de rendez-vous : {PREFIX} {LASTNAME}, votre consultation avec le Dr {LASTNAME:doc} aura lieu le {DATE} à {TIME}. Munissez-vous de votre carte Vitale (NIR {SSN}).`,
	`Admission — {FIRSTNAME} {LASTNAME}, né(e) le {DOB}, {AGE} ans, sexe {SEX}, taille {HEIGHT}, yeux {EYECOLOR}. Adresse : {BUILDINGNUMBER} {STREET}, {ZIPCODE} {CITY}.`,
	`Les résultats d'analyses de {FIRSTNAME} {MIDDLENAME} {LASTNAME} (né(e) le {DOB}) sont disponibles sur {URL} avec l'identifiant {USERNAME}.`,
	`Transmission infirmière du {DATE}, {TIME} : {FIRSTNAME} {LASTNAME}, {GENDER}, {AGE} ans. Personne à prévenir : {FIRSTNAME:kin} {LASTNAME:kin}, {PHONENUMBER:kin}.`,
	// journaux informatiques
	`{DATE} {TIME} AVERTISSEMENT auth : échec de connexion utilisateur={USERNAME} source={IPV4} agent="{USERAGENT}"`,
	`[{TIME}] bail DHCP renouvelé pour {MAC} -> {IPV4} ; responsable {EMAIL} ; passerelle {IPV6}`,
	`sshd[4107] : clé publique acceptée pour {USERNAME} depuis {IPV6} port 50122 à {TIME} le {DATE}`,
	`Rapport d'incident : l'appareil IMEI {PHONEIMEI} (MAC {MAC}) s'est connecté depuis {IP} et a téléchargé des fichiers sur {URL}. Propriétaire : {FIRSTNAME} {LASTNAME}, {JOBTITLE}.`,
	`Compte créé : identifiant {USERNAME}, mot de passe provisoire {PASSWORD}, courriel {EMAIL}, code PIN {PIN}. Changez le mot de passe avant le {DATE}.`,
	// livraisons
	`Votre colis est en route ! Livraison à {FIRSTNAME} {LASTNAME}, {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {ZIPCODE} {CITY} ({STATE}), prévue le {DATE} entre {TIME} et {TIME:fin}.`,
	`Note du livreur : déposer le colis à l'entrée {ORDINALDIRECTION} du {BUILDINGNUMBER} {STREET}. Coordonnées GPS {NEARBYGPSCOORDINATE}. Appeler le {PHONENUMBER} à l'arrivée.`,
	`Confirmation de commande pour {EMAIL} : total {AMOUNT} {CURRENCYSYMBOL}, payé par carte {CREDITCARDISSUER} {MASKEDNUMBER}. Expédition vers {CITY}, {COUNTY}, {STATE}.`,
	// formulaires
	`Nom : {LASTNAME}
Prénom : {FIRSTNAME}
Date de naissance : {DOB}
Téléphone : {PHONENUMBER}
Courriel : {EMAIL}
Adresse : {BUILDINGNUMBER} {STREET}, {ZIPCODE} {CITY}`,
	`Dossier de location — candidat·e {PREFIX} {FIRSTNAME} {LASTNAME}, employeur {COMPANYNAME}, poste {JOBTITLE}, revenu mensuel {AMOUNT} {CURRENCYCODE}, n° de sécurité sociale {SSN}.`,
	`Adhésion : {FIRSTNAME} {LASTNAME}, {AGE} ans, {GENDER}. Contact préféré {EMAIL} ou {PHONENUMBER}. Site web : {URL}`,
	// véhicules et assurance
	`Déclaration de sinistre {ACCOUNTNUMBER} : véhicule VIN {VEHICLEVIN}, immatriculé {VEHICLEVRM}, appartenant à {FIRSTNAME} {LASTNAME}. Accident le {DATE} à {TIME} près de {NEARBYGPSCOORDINATE}.`,
	`Avis de contravention pour {VEHICLEVRM}, {STREET} à {CITY}, à {TIME}. {PREFIX} {LASTNAME} doit régler {AMOUNT} {CURRENCYSYMBOL} avant le {DATE}.`,
	`Rendez-vous atelier : {FIRSTNAME} {LASTNAME} déposera le véhicule (VIN {VEHICLEVIN}) à notre garage de {CITY} le {DATE}. Contact : {PHONENUMBER}.`,
	// voyage, juridique, immobilier, école
	`Réservation au nom de {PREFIX} {FIRSTNAME} {LASTNAME} : arrivée le {DATE} vers {TIME}. Adresse de facturation {BUILDINGNUMBER} {STREET}, {CITY}, {COUNTY}.`,
	`Le bail entre {COMPANYNAME} et {FIRSTNAME} {LASTNAME} pour le logement situé {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {ZIPCODE} {CITY} prend effet le {DATE} ; dépôt de garantie {AMOUNT} {CURRENCYNAME}.`,
	`L'élève {FIRSTNAME} {LASTNAME} (matricule {ACCOUNTNUMBER}, né(e) le {DOB}) est inscrit(e) en option {JOBAREA}. Contact parent : {FIRSTNAME:p} {LASTNAME}, {PHONENUMBER}.`,
	`Rendez-vous à l'entrée {ORDINALDIRECTION} du parc de {CITY} — GPS {NEARBYGPSCOORDINATE} — le {DATE} à {TIME}. Envoie un SMS au {PHONENUMBER} si tu es en retard. {FIRSTNAME}`,
	`Témoignage : je soussigné(e) {FIRSTNAME} {MIDDLENAME} {LASTNAME}, {AGE} ans, domicilié(e) à {CITY} ({COUNTY}), certifie avoir vu le véhicule {VEHICLEVRM} partir à {TIME}.`,
	`Coucou {FIRSTNAME} ! C'est {FIRSTNAME:moi}. Le mot de passe Wi-Fi de l'appart de {CITY} est {PASSWORD}, l'interface de la box est sur {URL}. À {?samedi|bientôt|demain} !`,
	`Référencement fournisseur : {COMPANYNAME}, contact {FIRSTNAME} {LASTNAME} ({JOBTITLE}), {EMAIL}, banque {BIC} / {IBAN}, paiement à {?30|45|60} jours.`,
	`Carte cadeau achetée par {USERNAME} pour {AMOUNT} {CURRENCYSYMBOL} avec la carte {CREDITCARDNUMBER} (cryptogramme {CREDITCARDCVV}) depuis l'adresse {IPV4}.`,
}
