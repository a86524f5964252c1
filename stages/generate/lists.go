package generate

// Small curated lists for values gofakeit has no French (or no) data for.
// They are read-only.

var (
	frFirstNames = []string{
		"Zoé", "Hélène", "François", "Jérôme", "Anaïs", "Gaëlle", "Léa", "Chloé", "Noël", "Agnès",
		"Amélie", "Benoît", "Cécile", "Céline", "Clément", "Élodie", "Émilie", "Étienne", "Frédéric", "Gérard",
		"Hervé", "Inès", "Jean", "Joëlle", "Julien", "Laëtitia", "Loïc", "Lucie", "Manon", "Mathéo",
		"Maëlys", "Nathalie", "Océane", "Pascal", "Raphaël", "Sébastien", "Solène", "Théo", "Valérie", "Yannick",
		"Aurélien", "Camille", "Denis", "Margaux", "Nicolas", "Pauline", "Quentin", "Sophie", "Thierry", "Victor",
	}
	frMiddleNames = []string{
		"Marie", "Pierre", "Louise", "Joseph", "Anne", "Michel", "Claude", "Élise", "André", "Geneviève",
		"Henri", "Jeanne", "Louis", "Madeleine", "René", "Thérèse",
	}
	frLastNames = []string{
		"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
		"Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
		"Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
		"Légaré", "Bérubé", "Chevalier", "Gauthier", "Perrin", "Masson", "Rolland", "Barbier", "Lemaître", "Hébert",
		"Besançon", "Château", "Desrosiers", "Fontaine", "Guérin", "Joly", "Lacroix", "Noël", "Renaud", "Brochard",
	}
	frCities = []string{
		"Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier", "Bordeaux", "Lille",
		"Rennes", "Reims", "Saint-Étienne", "Le Havre", "Toulon", "Grenoble", "Dijon", "Angers", "Nîmes", "Villeurbanne",
		"Clermont-Ferrand", "Besançon", "Orléans", "Créteil", "Béziers", "Évry", "Sète", "Annecy", "Colmar", "Périgueux",
		"Aix-en-Provence", "Brest", "Limoges", "Tours", "Amiens", "Metz", "Perpignan", "Caen", "Mérignac", "Quimper",
	}
	frRegions = []string{
		"Île-de-France", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie", "Nouvelle-Aquitaine",
		"Hauts-de-France", "Grand Est", "Bretagne", "Normandie", "Pays de la Loire", "Bourgogne-Franche-Comté",
		"Centre-Val de Loire", "Corse",
	}
	frDepartements = []string{
		"Gironde", "Hérault", "Bouches-du-Rhône", "Isère", "Loire-Atlantique", "Nord", "Rhône", "Haute-Garonne",
		"Finistère", "Côte-d'Or", "Seine-Saint-Denis", "Val-de-Marne", "Bas-Rhin", "Puy-de-Dôme", "Doubs", "Ardèche",
	}
	frStreetTypes = []string{"rue", "avenue", "boulevard", "place", "allée", "chemin", "impasse", "quai", "route", "cours"}
	frStreetNames = []string{
		"de la République", "Victor Hugo", "Jean Jaurès", "de la Paix", "Pasteur", "du Général de Gaulle",
		"des Écoles", "Saint-Germain", "de l'Église", "des Lilas", "du Moulin", "Émile Zola", "de la Gare",
		"Gambetta", "des Peupliers", "du Château", "Voltaire", "de Verdun", "Jules Ferry", "des Frères Lumière",
		"Sainte-Cécile", "du Faubourg Saint-Honoré", "Molière", "de Bretagne", "des Tanneurs",
	}
	frJobTitles = []string{
		"responsable des ressources humaines", "ingénieure logiciel", "chef de projet", "comptable",
		"directrice financière", "technicien de maintenance", "infirmière", "conseiller clientèle",
		"développeur back-end", "chargée de communication", "administrateur systèmes", "juriste",
		"assistante de direction", "commercial sédentaire", "responsable logistique", "data scientist",
		"pharmacien", "architecte réseau", "gestionnaire de paie", "professeure des écoles",
	}
	frCompanySuffixes = []string{"SARL", "SAS", "SA", "et Fils", "Conseil", "Groupe", "Industries", "Services"}
	frCompanyStems    = []string{
		"Dumont", "Lefort", "Beaulieu", "Roche", "Marchand", "Aubert", "Vasseur", "Delmas", "Charpentier", "Lebrun",
		"Hélios", "Azur", "Atlantique", "Boréal", "Cévennes", "Étoile", "Horizon", "Lumière", "Mistral", "Rivière",
	}
	enCounties = []string{
		"Orange County", "Cook County", "King County", "Harris County", "Maricopa County", "Travis County",
		"Dade County", "Franklin County", "Kent", "Surrey", "Yorkshire", "Devon", "Essex", "Lancashire",
	}
	jobAreasEN = []string{"Security", "Marketing", "Finance", "Operations", "Research", "Quality", "Infrastructure", "Accounts", "Branding", "Integration", "Data", "Implementation"}
	jobAreasFR = []string{"Sécurité", "Marketing", "Finance", "Opérations", "Recherche", "Qualité", "Infrastructure", "Comptabilité", "Logistique", "Ressources humaines"}
	jobTypesEN = []string{"Coordinator", "Manager", "Engineer", "Analyst", "Consultant", "Specialist", "Administrator", "Designer", "Technician", "Officer"}
	jobTypesFR = []string{"Coordinateur", "Responsable", "Ingénieur", "Analyste", "Consultante", "Spécialiste", "Administrateur", "Technicienne", "Chargé de mission"}

	prefixesEN = []string{"Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Mx.", "Prof."}
	prefixesFR = []string{"M.", "Mme", "Mlle", "Dr", "Me", "Pr"}
	gendersEN  = []string{"Female", "Male", "Non-binary", "Agender", "Genderfluid", "Trans woman", "Trans man"}
	gendersFR  = []string{"Femme", "Homme", "Non-binaire", "Agenre", "Genre fluide"}
	sexesEN    = []string{"female", "male", "intersex"}
	sexesFR    = []string{"féminin", "masculin"}
	eyesEN     = []string{"blue", "brown", "green", "hazel", "grey", "amber"}
	eyesFR     = []string{"bleus", "marron", "verts", "noisette", "gris", "noirs"}
	dirsEN     = []string{"North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest"}
	dirsFR     = []string{"Nord", "Sud", "Est", "Ouest", "Nord-Est", "Nord-Ouest", "Sud-Est", "Sud-Ouest"}
	accountsEN = []string{"Personal Savings Account", "Checking Account", "Investment Account", "Home Loan Account", "Credit Card Account", "Money Market Account", "Auto Loan Account"}
	accountsFR = []string{"Compte courant", "Livret A", "Compte épargne logement", "Plan d'épargne en actions", "Compte joint", "Livret de développement durable"}
	unitsEN    = []string{"Apt. %d", "Suite %d", "Unit %d", "Floor %d", "Room %d"}
	unitsFR    = []string{"Appartement %d", "Bâtiment %c", "Étage %d", "Porte %d", "Escalier %c"}
	monthsFR   = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	issuers    = []string{"Visa", "Mastercard", "American Express", "Discover", "JCB", "Diners Club", "UnionPay", "Maestro"}
	currencies = []struct{ code, symbol, nameEN, nameFR string }{
		{"EUR", "€", "Euro", "euro"}, {"USD", "$", "US Dollar", "dollar américain"}, {"GBP", "£", "Pound Sterling", "livre sterling"},
		{"CHF", "CHF", "Swiss Franc", "franc suisse"}, {"JPY", "¥", "Yen", "yen"}, {"CAD", "$", "Canadian Dollar", "dollar canadien"},
		{"INR", "₹", "Indian Rupee", "roupie indienne"}, {"XOF", "CFA", "CFA Franc BCEAO", "franc CFA"}, {"MAD", "DH", "Moroccan Dirham", "dirham marocain"},
	}
	ibanCountries = []struct{ code, pattern string }{
		// pattern: 9 = digit, A = upper-case letter, X = letter or digit
		{"FR", "9999999999XXXXXXXXXXX99"}, {"DE", "999999999999999999"}, {"GB", "AAAA99999999999999"},
		{"ES", "99999999999999999999"}, {"IT", "A9999999999XXXXXXXXXXXX"}, {"NL", "AAAA9999999999"},
		{"BE", "999999999999"}, {"CH", "99999XXXXXXXXXXXX"}, {"LU", "999XXXXXXXXXXXXX"},
	}
)
