/// The words the demo company's data is made of: industries, regions and cities, channels,
/// product lines, reasons and the sentences non-buyers say.
enum Vocabulary {
    static let industries = ["Maschinenbau", "Automobilzulieferer", "Elektrotechnik", "Bauwesen", "Logistik",
                             "Lebensmittel", "Medizintechnik", "Energie", "Handwerk"]

    /// Share of first contacts per industry in 2019 and in 2025 (Energie is the growing market).
    static let industryWeights: [String: (Double, Double)] = [
        "Maschinenbau": (22, 17), "Automobilzulieferer": (15, 10), "Elektrotechnik": (11, 11), "Bauwesen": (12, 12),
        "Logistik": (8, 8), "Lebensmittel": (7, 7), "Medizintechnik": (8, 9), "Energie": (4, 17), "Handwerk": (13, 12),
    ]

    /// Words a company of the industry calls itself by.
    static let trades: [String: [String]] = [
        "Maschinenbau": ["Maschinenbau", "Anlagenbau", "Präzisionstechnik", "Sondermaschinen"],
        "Automobilzulieferer": ["Fahrzeugteile", "Umformtechnik", "Automotive", "Karosserietechnik"],
        "Elektrotechnik": ["Elektrotechnik", "Schaltanlagen", "Elektronik", "Gerätebau"],
        "Bauwesen": ["Bau", "Hochbau", "Stahlbau", "Fassadenbau", "Tiefbau"],
        "Logistik": ["Logistik", "Spedition", "Lagertechnik", "Fördertechnik"],
        "Lebensmittel": ["Lebensmitteltechnik", "Getränketechnik", "Feinkost", "Molkerei"],
        "Medizintechnik": ["Medizintechnik", "Orthopädietechnik", "Dentaltechnik", "Labortechnik"],
        "Energie": ["Solartechnik", "Windkraft Service", "Energietechnik", "Netztechnik"],
        "Handwerk": ["Schreinerei", "Sanitär & Heizung", "Metallhandwerk", "Zimmerei", "Schlosserei"],
    ]

    static let legalForms: [(String, Double)] = [("GmbH", 55), ("GmbH & Co. KG", 20), ("AG", 6), ("KG", 8), ("e.K.", 11)]

    static let surnames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
                           "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
                           "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Köhler", "König",
                           "Fuchs", "Jäger", "Groß", "Weiß", "Lorenz", "Böhm", "Förster", "Vogel", "Haas", "Günther",
                           "Brückner", "Yılmaz", "Nowak", "Kaya", "Öztürk", "Dietrich", "Pohl", "Möller", "Kühn"]

    static let firstNames = ["Jürgen", "Sabine", "Björn", "Anja", "Thomas", "Claudia", "Michael", "Katrin", "Stefan",
                             "Petra", "Andreas", "Jörg", "Bärbel", "Uwe", "Monika", "Frank", "Susanne", "Matthias",
                             "Renée", "Özlem", "Ayşe", "Łukasz", "Jens", "Maren", "Sören", "Hannah", "Lukas", "Lea",
                             "Tobias", "Jana", "René", "Dörte"]

    /// Regions of Germany as the sales team divides it, with their cities and a weight.
    static let regions: [(name: String, cities: [String], weight: Double)] = [
        ("Süd", ["München", "Nürnberg", "Augsburg", "Regensburg", "Würzburg", "Ingolstadt"], 22),
        ("Südwest", ["Stuttgart", "Karlsruhe", "Freiburg im Breisgau", "Ulm", "Mannheim", "Heilbronn"], 20),
        ("West", ["Köln", "Düsseldorf", "Dortmund", "Essen", "Münster", "Bielefeld"], 21),
        ("Nord", ["Hamburg", "Bremen", "Kiel", "Lübeck", "Hannover", "Osnabrück"], 13),
        ("Ost", ["Leipzig", "Dresden", "Chemnitz", "Erfurt", "Magdeburg", "Görlitz"], 12),
        ("Mitte", ["Frankfurt am Main", "Kassel", "Gießen", "Fulda", "Göttingen", "Wiesbaden"], 12),
    ]

    /// Acquisition channels, weighted in 2019 and in 2025 (the web grows, trade fairs shrink).
    static let channels: [(name: String, early: Double, late: Double)] = [
        ("Messe", 27, 13), ("Website", 13, 30), ("Empfehlung", 15, 14), ("Kaltakquise", 18, 16),
        ("Newsletter", 10, 11), ("Partner", 17, 16),
    ]

    /// What acquiring a customer through the channel costs (median, euros).
    static let acquisitionCost: [String: Double] = [
        "Messe": 1_450, "Kaltakquise": 820, "Partner": 640, "Website": 230, "Newsletter": 95, "Empfehlung": 160,
    ]

    /// How often a first contact through the channel becomes a customer.
    static let conversion: [String: Double] = [
        "Empfehlung": 0.70, "Partner": 0.56, "Messe": 0.47, "Website": 0.43, "Newsletter": 0.33, "Kaltakquise": 0.22,
    ]

    static let productLines = ["Schrauben & Muttern", "Dübel & Anker", "Werkzeuge", "Normteile", "Sonderanfertigung"]

    static let competitors = ["Baubeschlag Discount GmbH", "Schnellteile24 GmbH", "Befestigungstechnik Süd AG",
                              "Nordschraube KG", "Würzburger Industriebedarf GmbH"]

    static let lostReasons: [(String, Double)] = [
        ("Preis", 22), ("Wettbewerber", 22), ("kein Bedarf", 18), ("Lieferzeit", 14), ("kein Vertrauen", 9),
        ("Qualität", 8), ("Service", 7),
    ]
    /// Cold calls mostly meet no need and no trust.
    static let coldCallReasons: [(String, Double)] = [
        ("kein Bedarf", 32), ("kein Vertrauen", 26), ("Preis", 18), ("Wettbewerber", 14), ("Lieferzeit", 5),
        ("Qualität", 5),
    ]
    /// Trade-fair leads from construction: the price, and the discounter they met at the fair.
    static let fairConstructionReasons: [(String, Double)] = [
        ("Preis", 74), ("Wettbewerber", 11), ("Lieferzeit", 6), ("kein Bedarf", 5), ("Qualität", 4),
    ]

    static let decisionMakerRoles: [(String, Double)] = [("Geschäftsführung", 30), ("Einkaufsleitung", 40), ("Technische Leitung", 30)]
    static let otherRoles: [(String, Double)] = [
        ("Einkauf", 30), ("Konstruktion", 18), ("Sachbearbeitung", 22), ("Assistenz", 14), ("Werkstatt", 10), ("Auszubildende", 6),
    ]

    /// How people were reached, and how many of those reached decide on purchases.
    static let contactChannels: [(name: String, weight: Double, deciders: Double)] = [
        ("Newsletter", 30, 0.11), ("Außendienst", 22, 0.62), ("Messe", 18, 0.53), ("Website", 16, 0.27), ("Webinar", 14, 0.22),
    ]

    /// What people say in interviews, per stated reason. `{c}` is a competitor, `{n}` a number.
    static let quotes: [String: [String]] = [
        "Preis": [
            "Auf der Messe lag Ihr Angebot {n} % über dem von {c}.",
            "Für Standardschrauben zahlen wir bei {c} deutlich weniger.",
            "Ihr Außendienst war gut, aber der Preis hat am Ende entschieden.",
            "Bei unseren Margen zählt jeder Cent pro Stück, da waren Sie zu teuer.",
            "Ehrlich gesagt: Qualität ist uns wichtig, aber nicht {n} % Aufpreis.",
        ],
        "Lieferzeit": [
            "Die Sonderteile kamen {n} Wochen zu spät, unsere Linie stand still.",
            "Nach der Verspätung im Frühjahr 2023 haben wir auf {c} umgestellt.",
            "Wir brauchen Teile in 48 Stunden, nicht in {n} Wochen.",
            "Zugesagt war \"nächste Woche\", geliefert wurde nach {n} Wochen.",
            "Die Lieferzeiten waren uns zu unsicher, da mussten wir handeln.",
        ],
        "Wettbewerber": [
            "Wir haben einen Rahmenvertrag mit {c}, der läuft noch zwei Jahre.",
            "{c} bietet uns ein Konsignationslager direkt an der Linie.",
            "Unser Konzern hat {c} als Lieferanten gesetzt.",
            "Bei {c} bekommen wir alles aus einer Hand, auch die Werkzeuge.",
        ],
        "kein Bedarf": [
            "Wir fertigen kaum noch selbst, der Bedarf ist weggefallen.",
            "Im Moment laufen keine Projekte, vielleicht im nächsten Jahr wieder.",
            "Das bisschen, was wir brauchen, holen wir beim Händler um die Ecke.",
            "Wir haben die Produktion nach Tschechien verlagert.",
        ],
        "kein Vertrauen": [
            "Ein unangekündigter Anruf ist für uns kein Anfang einer Geschäftsbeziehung.",
            "Wir kannten Sie nicht, und eine Referenz aus unserer Branche fehlte.",
            "Nach drei Anrufen in einer Woche war das Thema für uns erledigt.",
            "Wir wechseln Lieferanten nicht auf Zuruf, da braucht es Vertrauen.",
        ],
        "Qualität": [
            "Bei der Musterlieferung waren {n} % der Gewinde nicht maßhaltig.",
            "Die Beschichtung hat den Salzsprühtest nicht bestanden.",
            "Uns fehlten die Prüfzeugnisse nach EN 10204.",
        ],
        "Service": [
            "Rückfragen blieben tagelang liegen, niemand fühlte sich zuständig.",
            "Die Hotline war nie erreichbar, wenn es brannte.",
            "Reklamationen dauerten {n} Wochen, das ist zu lang.",
        ],
        "Ansprechpartner gewechselt": [
            "Unser Einkaufsleiter ist gegangen, der neue bringt seine Lieferanten mit.",
            "Seit dem Wechsel in der Geschäftsführung wird alles neu ausgeschrieben.",
        ],
    ]
}
