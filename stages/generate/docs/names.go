package docs

import "strings"

// origin is a pool of names of one linguistic origin. Multi-word names are
// written with '_' for their inner spaces in the source lists.
type origin struct {
	name          string
	female, male  []string
	last          []string
	frenchSpeaker bool // people of this origin are drawn more often in French documents
}

func words(s string) []string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = strings.ReplaceAll(w, "_", " ")
	}
	return f
}

// origins lists the name pools; read-only after init.
var origins = []origin{
	{name: "english",
		female: words("Emily Sarah Jessica Hannah Olivia Charlotte Amelia Rebecca Lauren Megan Abigail Grace Chloe Heather Kimberly"),
		male:   words("James John Michael William David Thomas Daniel Matthew Andrew Christopher Joshua Ryan Benjamin Nathan Gareth"),
		last:   words("Smith Johnson Williams Brown Jones Taylor Davies Evans Wilson Thompson Mitchell Robinson Walker Wright Hughes Edwards Green Hall Wood Clarke Jackson Harris Turner Cooper Ward Morgan Bennett Parker Collins Fletcher")},
	{name: "french", frenchSpeaker: true,
		female: words("Camille Manon Chloé Léa Inès Juliette Élodie Amélie Céline Hélène Margaux Océane Solène Anaïs Gaëlle"),
		male:   words("Julien Nicolas Sébastien Clément Théo Raphaël Étienne Benoît Jérôme François Loïc Aurélien Hervé Mathéo Gaël"),
		last:   words("Martin Bernard Dubois Durand Lefèvre Moreau Girard Fournier Mercier Lambert Bonnet Chevalier Gauthier Perrin Guérin Hébert Lacroix Fontaine Rousseau Blanchard Leclerc Garnier Faure Lemaître Brochard Bérubé Deschamps Marchand Carpentier Aubert")},
	{name: "spanish",
		female: words("María Lucía Carmen Sofía Paula Elena Marta Alba Noelia Begoña Inmaculada Rocío Pilar Ainhoa Itziar"),
		male:   words("José Javier Alejandro Pablo Sergio Álvaro Jorge Íñigo Rubén Andrés Raúl Ignacio Joaquín Adrián Héctor"),
		last:   words("García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Domínguez Vázquez Ramos Gil Serrano Blanco Molina Castillo Ortega Ibáñez")},
	{name: "portuguese",
		female: words("Beatriz Inês Leonor Matilde Mariana Joana Catarina Raquel Filipa Conceição Gabriela Luísa Adriana Fernanda Letícia"),
		male:   words("João Tiago Gonçalo Rodrigo Duarte Afonso Rui Nuno Vítor Sebastião Luís António Fábio Caio Thiago"),
		last:   words("Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira Monteiro Cardoso Magalhães")},
	{name: "italian",
		female: words("Giulia Francesca Chiara Alessia Martina Federica Valentina Sara Elisa Beatrice Ilaria Gaia Noemi Lucrezia Serena"),
		male:   words("Marco Luca Giuseppe Alessandro Matteo Lorenzo Andrea Francesco Davide Simone Riccardo Niccolò Stefano Gianluca Pietro"),
		last:   words("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Leone Longo")},
	{name: "german",
		female: words("Anna Lena Katharina Johanna Sophie Franziska Lea Sabine Ursula Jutta Birgit Anke Heike Annegret Jördis"),
		male:   words("Lukas Maximilian Jonas Felix Tobias Jürgen Wolfgang Klaus Stefan Matthias Dieter Uwe Björn Jörg Günther"),
		last:   words("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann")},
	{name: "dutch",
		female: words("Sanne Femke Lotte Anouk Eline Marieke Ilse Noor Fleur Maaike Joke Ingrid Saskia Lieke Roos"),
		male:   words("Daan Bram Sem Lars Thijs Joost Pieter Sjoerd Wouter Maarten Ruud Bas Koen Jeroen Gijs"),
		last:   words("de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer de_Boer Mulder de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer van_der_Linden Kok Jacobs de_Haan Vermeulen")},
	{name: "nordic",
		female: words("Astrid Ingrid Sigrid Freja Maja Elsa Linnéa Sofie Ida Kari Solveig Åsa Birgitta Ylva Tuva"),
		male:   words("Erik Lars Anders Magnus Henrik Nils Sven Oskar Bjørn Håkan Jens Søren Torbjörn Øystein Mikael"),
		last:   words("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Hansen Johansen Olsen Larsen Andersen Pedersen Nielsen Kristiansen Jensen Sørensen Rasmussen Haugen Bakken Lindqvist Sjöberg Åberg Ødegaard Strøm Holm Lundgren")},
	{name: "finnish",
		female: words("Aino Helmi Eevi Sanna Kaisa Tuula Päivi Riikka Minna Satu Hanna Marjatta Leena Sirpa Jenni"),
		male:   words("Juhani Mikko Jukka Timo Matti Pekka Antti Ville Jari Heikki Eero Väinö Tapio Kari Lauri"),
		last:   words("Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen")},
	{name: "estonian",
		female: words("Kadri Liis Triin Maarja Kristiina Piret Tiina Ülle Reet Helju Eha Merike Kersti Anu Signe"),
		male:   words("Jaan Tõnu Peeter Mart Rein Toomas Andres Urmas Indrek Priit Ülo Margus Tarmo Aivar Siim"),
		last:   words("Tamm Saar Sepp Mägi Kask Kukk Rebane Ilves Pärn Koppel Luik Lepik Kaasik Oja Raudsepp Kuusk Karu Kõiv Lõhmus Laur Põder Vaher Jõgi Mets Valk Kivi Lill Org Kull Parts")},
	{name: "hungarian",
		female: words("Zsófia Réka Eszter Katalin Ildikó Erzsébet Krisztina Anikó Judit Zsuzsanna Hajnalka Tímea Boglárka Orsolya Csilla"),
		male:   words("László István Zoltán Gábor Attila Tamás Péter Balázs Gergely Levente Csaba Ferenc Sándor Zsolt Dániel"),
		last:   words("Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Németh Farkas Balogh Papp Takács Juhász Lakatos Mészáros Oláh Simon Rácz Fekete Szilágyi Török Fehér Balázs Gál Kis Szűcs Kocsis Orsós Pintér")},
	{name: "polish",
		female: words("Agnieszka Małgorzata Katarzyna Magdalena Joanna Dorota Elżbieta Monika Beata Aleksandra Zofia Grażyna Paulina Justyna Bożena"),
		male:   words("Piotr Krzysztof Tomasz Paweł Łukasz Michał Grzegorz Marcin Jakub Wojciech Mateusz Zbigniew Rafał Przemysław Jarosław"),
		last:   words("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski Olszewski")},
	{name: "czech",
		female: words("Tereza Eliška Kateřina Lucie Veronika Markéta Jana Hana Zuzana Petra Lenka Božena Alžběta Radka Šárka"),
		male:   words("Jiří Jan Petr Josef Pavel Tomáš Martin Jaroslav Miroslav Zdeněk Václav Michal Ondřej Lukáš Vojtěch"),
		last:   words("Novák Svoboda Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec Marek Pokorný Pospíšil Hájek Jelínek Král Růžička Beneš Fiala Sedláček Doležal Zeman Kolář Navrátil Čermák Vaněk Urban Blažek Kříž Kovář")},
	{name: "greek",
		female: words("Eleni Maria Katerina Georgia Dimitra Sofia Ioanna Vasiliki Angeliki Despina Christina Paraskevi Zoe Anastasia Evangelia"),
		male:   words("Georgios Dimitrios Konstantinos Ioannis Nikolaos Panagiotis Christos Vasileios Athanasios Evangelos Spyridon Stavros Theodoros Michalis Kostas"),
		last:   words("Papadopoulos Papadakis Georgiou Nikolaidis Oikonomou Karagiannis Vlachos Dimitriou Konstantinidis Ioannou Athanasiou Christodoulou Papanikolaou Makris Pappas Antoniou Alexiou Angelopoulos Samaras Theodorou Vasileiou Katsaros Lambrou Mavridis Kyriakou Spanos Zervas Kotsis Galanis Economou")},
	{name: "turkish",
		female: words("Ayşe Fatma Emine Zeynep Elif Merve Büşra Özlem Gülşen Şule Derya Esra Hülya Nazlı Çiğdem"),
		male:   words("Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Emre Burak Yusuf Ömer Oğuz Serkan Çağlar"),
		last:   words("Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Erdoğan Güneş Aksoy Ünal Tekin Karaca Bulut Avcı")},
	{name: "arabic", frenchSpeaker: true,
		female: words("Fatima Aisha Mariam Leila Yasmine Nour Amina Samira Zainab Rania Salma Hanane Khadija Soumaya Imane"),
		male:   words("Mohammed Ahmed Youssef Omar Khalid Karim Hamza Rachid Samir Mehdi Bilal Tariq Nabil Walid Anas"),
		last:   words("El_Amrani Benali Haddad Khoury Mansour Saleh Nasser Hamdan Bouzid Benjelloun Cherkaoui Al-Farsi Rahman Aziz Hussein Ibrahim Kassem Sabbagh Touati Zaidi Chaabane Belkacem El_Idrissi Farouk Jaber Nassar Qasim Saadi Tahiri Abboud")},
	{name: "indian",
		female: words("Priya Ananya Divya Kavya Lakshmi Sneha Pooja Shreya Meera Aishwarya Deepika Nandini Radhika Sunita Anjali"),
		male:   words("Rahul Arjun Vikram Rohan Aditya Sanjay Rajesh Amit Suresh Karthik Pranav Siddharth Venkatesh Nikhil Harish"),
		last:   words("Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Rao Joshi Mehta Desai Chatterjee Banerjee Mukherjee Agarwal Menon Pillai Verma Kapoor Malhotra Bhat Krishnan Subramanian Chowdhury Naidu Shah Bose Das Saxena")},
	{name: "chinese",
		female: words("Wei Fang Xiu Ying Mei Lan Jing Li Na Hui Yan Xin Ting Qian Yuxuan"),
		male:   words("Wei Jun Hao Lei Ming Jian Tao Qiang Yang Bo Chao Zhiwei Haoran Zihan Yifan"),
		last:   words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Xiao")},
	{name: "japanese",
		female: words("Yui Haruka Sakura Aoi Yuna Misaki Ayaka Nanami Rin Mei Yoko Keiko Emiko Naoko Akiko"),
		male:   words("Haruto Ren Sota Yuto Takumi Daiki Kenji Hiroshi Takeshi Satoshi Kazuki Shota Ryota Kenta Makoto"),
		last:   words("Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Ishikawa Ogawa Fujita Okada Goto Hasegawa")},
	{name: "korean",
		female: words("Ji-woo Seo-yeon Min-seo Ha-eun Ji-min Soo-ah Yuna Eun-ji Hye-jin Su-bin Da-eun Ye-jin Mi-rae Na-yeon So-yeon"),
		male:   words("Min-jun Seo-jun Do-yoon Ji-ho Ha-joon Joon-ho Hyun-woo Sung-min Jae-won Dong-hyun Tae-yang Woo-jin Sang-hoon Jin-woo Kyung-soo"),
		last:   words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Jeon Hong Yoo Ko Moon Yang Son Bae Baek Heo Nam Noh")},
	{name: "african", frenchSpeaker: true,
		female: words("Amara Chiamaka Ngozi Adaeze Fatou Aminata Awa Nia Zuri Wanjiru Akosua Abena Thandiwe Nomvula Folake"),
		male:   words("Chinedu Oluwaseun Kwame Kofi Babajide Emeka Moussa Mamadou Ousmane Tendai Kwabena Sipho Jabari Themba Ikechukwu"),
		last:   words("Okafor Adeyemi Okonkwo Mensah Diallo Traoré Keita Ndiaye Diop Camara Kamara Mwangi Otieno Kariuki Boateng Asante Owusu Nkosi Dlamini Mokoena Abubakar Balogun Eze Nwosu Obi Sow Coulibaly Touré Banda Phiri")},
}

// middle names used in the "John A. Smith" / "Jean-Marie Pierre Dupont" forms.
var middleEN = words("Alexander Anne Marie James Lee Elizabeth Rose Michael Grace Joseph Louise Edward Jane Thomas Mae")
var middleFR = words("Marie Pierre Louise Joseph Anne Michel Claude Élise André Geneviève Henri Jeanne Louis Thérèse")
