"""The two seed fiches (shared/seeds) are transcribed completely: every fact of the seed
text is found on the rendered pages (fiche page, or the page of the bloc it belongs to)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_pages import soup, text


def page_text(site: Path, path: str) -> str:
    return text(soup(site, path))


def page_links(site: Path, path: str) -> set[str]:
    return {a["href"] for a in soup(site, path).find_all("a")}


FICHE_26224 = [
    "RNCP26224", "Chef de projet numérique", "Carrel formation continue", "Qualité du signataire : Présidente",
    "Niveau 6 — équivalent Bac+3", "Ancienne nomenclature (1969) : niveau II", "326w — Informatique commercialisation",
    # Résumé du référentiel
    "le chef de projet numérique (CPN) définit, dans un souci de développement du e-commerce et/ou de e-business, la stratégie digitale de l’entreprise",
    "il monte des stratégies de communication web-multicanal et en suit la réalisation", "Il maitrise la technique inhérente à ces actions",
    "un travail sur la e-réputation et le référencement naturel", "le CPN garantit le respect de l’identité digitale de l’entreprise",
    "afin de mesurer l’efficacité des campagnes et d’apporter, si nécessaire, les mesures correctives",
    # Compétences attestées (7)
    "son positionnement sur son marché et sa communication (online/offline)", "indicateurs de performances (KPI et ROI)",
    "les logiciels de PAO de la CS adobe", "Elaborer des contenus et animer les réseaux sociaux",
    "tout en vérifiant la validité juridique du projet et préconiser les actions d’optimisation",
    "y compris dans les pays étrangers pour décliner les nouvelles tendances détectées sur les projets digitaux",
    "Se tenir informé des innovations technologiques, de leur coût et de leurs caractéristiques ainsi que des évolutions juridiques",
    # Secteurs et emplois
    "Ce métier existe principalement dans 3 types de structures et / ou services",
    "Dans les agences de communication qui sont aujourd’hui sollicitées par leurs clients",
    "Dans de grosses entreprises où le numérique émane d’une vraie volonté et engagement du dirigeant",
    "cette dernière pouvant être sous-traitée à une agence de communication",
    "Situation professionnelle caractéristique : dans de grosses entreprises, le CPN peut-être rattaché à la DSI (direction des services informatiques)",
    "Programme manager, responsable marketing digital", "webmarketer", "chef de projet fonctionnel web",
    "Rédacteur web, content manager, chargé de communication web, traffic manager",
    "Data scientist, Growth Hacker, Designer UX, crowfunding manager",
    # ROME
    "M1705 — Marketing", "M1702 — Analyse de tendance", "E1101 — Animation de site multimédia",
    "E1401 — Développement et promotion publicitaire", "E1402 — Élaboration de plan média",
    # Composantes
    "Les 4 blocs de compétences associés aux activités composent la certification",
    "veille technologique, informationnelle et juridique", "L’obtention de chaque bloc fait l’objet d’un certificat",
    "L’intitulé du certificat délivré est l’intitulé du bloc", "Validité des composantes acquises : 5 ans",
    # Voies d'accès et jurys
    "Président du jury (professionnel/employeur)", "1 membre de l’équipe pédagogique", "2 professionnels (un employeur et un salarié)",
    "Par expérience (VAE)", "Dispositif VAE prévu en 2014", "Par candidature individuelle Voie ouverte quand elle était enregistrée : Non renseigné",  # inactive: past tense
    "Accessible en Nouvelle-Calédonie Non renseigné", "Accessible en Polynésie française Non renseigné",
    # Base légale
    "Arrêté du 26 mai 2016 portant enregistrement au répertoire national des certifications professionnelles, publié au Journal officiel du 7 juin 2016",
    "Enregistrement pour 3 ans, au niveau II, sous l’intitulé « Chef de projet numérique H-F », avec effet au 7 septembre 2012, jusqu’au 7 juin 2019",
    "Inactive — enregistrement terminé le 7 juin 2019",
    # Lieux
    "Lieux de certification Institut CARREL (pour Carrel formation continue) 119 rue Boileau 69006 Lyon Rhône (69), Auvergne-Rhône-Alpes",
    "Lieux déclarés par Carrel formation continue",
    "Web digital school Port du moulin blanc, 297 rue Eugène Berest 29200 Brest",
    "VISIPLUS 1300 Route des crêtes 06560 Sophia Antipolis",
    "Next formation - Next advance 55 avenue Hoche 75008 Paris", "Next formation - Next advance 4 rue Auber 75009 Paris",
    "Next formation - Next advance 3 rue des Mathurins 75009 Paris", "Next formation - Next advance 9 avenue de Paris 94300 Vincennes",
    "Next formation - Next advance 6/8 rue Firmin Gillot 75015 Paris", "Next formation - Next advance 112 avenue de Paris 94300 Vincennes",
]

BLOCS_26224 = {
    "rncp26224bc01": [
        "Elaborer et mettre en œuvre une stratégie de marketing digital",
        "étudier l’entreprise dans son environnement et dans son organisation interne",
        "déterminer des objectifs quantitatifs, qualitatifs et les cibles à atteindre",
        "identifier les indicateurs clés de performances des solutions digitales",
        "évaluation écrite d’1h30", "soutenance orale individuelle d’un dossier de synthèse professionnel comprenant",
        "une fiche de synthèse présentant un diagnostic complet d’entreprise,", "une problématique",
        "des préconisations de solutions digitales répondant à cette problématique",
    ],
    "rncp26224bc02": [
        "Concevoir et développer un site web", "concevoir un site web adaptatif",
        "élaborer des contenus grâce aux logiciels de publication assistée par ordinateur et la Adobe Creative Suite, et calibrer des messages",
        "diffuser et animer ces contenus sur les réseaux sociaux (blogs forum…)",
        "qui seront évaluées tant sur leur aspect technique que sur le contenu",
    ],
    "rncp26224bc03": [
        "Gérer des projets de développement numériques innovants", "assurer la cohésion et le management d’équipe",
        "mesurer les indicateurs clés de performance digitale : et calcul du retour sur investissement",
        "préconiser les actions d’optimisation et / ou de correction",
        "jeux de rôle sur une situation de négociation commerciale. durée : 40 minutes.",
        "évaluation professionnelle de mise en pratique des compétences acquises",
        "la gestion du projet qui répondent à ces préconisations",
    ],
    "rncp26224bc04": [
        "Mener une veille permanente pour anticiper et identifier les évolutions technologiques, juridiques et stratégiques liées au développement du numérique",
        "mener une veille active sur les tendances dans les pays anglo-saxons",
        "nouvelles innovations technologiques (caractéristiques, coût)", "évaluer la pertinence de leur mise en œuvre",
        "appliquer les évolutions juridiques aux projets en cours",
        "présentant une méthodologie de veille ainsi que les résultats de l’activité de veille que le candidat aura mise en place.",
    ],
}

FICHE_16959 = [
    "RNCP16959", "Expert(e) en stratégie digitale", "ECAD Consultant - IESA Multimédia",
    "Qualité du signataire : Directeur de l'IESA Multimédia", "ESGCV-Digital Campus",
    "Niveau 7 — équivalent Bac+5", "Ancienne nomenclature (1969) : niveau I",
    "326 — Informatique, traitement de l'information, réseaux de transmission",
    "La stratégie digitale s’inscrit dans un ensemble plus vaste qui est la stratégie marketing elle-même inscrite dans la stratégie globale de l’entreprise",
    "la communication numérique qui en est la traduction opérationnelle utilise tous les canaux et supports digitaux existants",
    "soit en tant que fondateur d’entreprise financée en haut de bilan (start-up)",
    "Le (la) titulaire est capable de", "Organiser sa veille et sa recherche, en français et en anglais",
    "Définir et défendre une stratégie d’offre de services originale et pertinente",
    "aux contraintes techniques, budgétaires et de planning.", "Recueillir et utiliser les données d’usage pour compléter ou parfaire son offre de service",
    "Sélectionner et contracter avec les partenaires, prestataires", "Organiser et suivre l’ensemble des opérations d’un projet.",
    "Toute entreprise, quel que soit son secteur d’activité peut recourir à un expert en stratégie digitale",
    "Il peut aussi exercer en tant que responsable d’une agence Web (Web design ou Web développement)",
    "c’est alors lui qui réalisera et mettra en œuvre la stratégie digitale",
    "les appellations du métier peuvent être", "Expert en communication stratégique", "SEO/SEM Manager",
    "Creative Technologist", "Product owner", "Directeur artistique digital",
    "E1103 — Communication", "E1104 — Conception de contenus multimédias", "E1105 — Coordination d'édition",
    "M1705 — Marketing", "M1802 — Expertise et support en systèmes d'information",
    "Il comprend 4 livrables permettant d’évaluer les compétences de chaque bloc",
    "Description du contexte et des objectifs.", "Cahier des charges et prototypage", "Plan de communication digitale et marketing",
    "Après une présentation de 30 minutes le candidat / la candidate s’entretient pendant 20 minutes avec le jury de certification",
    "le/la candidat/e peut se représenter au jury de la promotion N+1", "la réalisation d’un livret de preuves « livret 2 »",
    "l’ensemble des certificats des quatre blocs de compétences acquis constituent l’obtention de la certification",
    "Le bénéfice des composantes acquises est illimité", "Validité des composantes acquises : illimitée",
    "Le jury est composé de cinq personnes", "un/une représentant(e) en activité des professions Salariés",
    "un/une enseignant(e) formateur", "un/une responsable pédagogique", "Parmi les membres du jury, 40 % sont membres extérieurs",
    "40 % sont représentants des Salariés(es) et des Employeurs/euses", "Dispositif VAE prévu en 2012",
    # Base légale (4 arrêtés)
    "Arrêté du 8 juillet 2009 portant enregistrement au répertoire national des certifications professionnelles, publié au Journal officiel du 21 juillet 2009",
    "Enregistrement pour 2 ans, au niveau I, sous l’intitulé « Directeur de projets en édition et communication numériques », avec effet au 21 juillet 2009, jusqu’au 21 juillet 2011",
    "Arrêté du 27 décembre 2018 portant enregistrement au répertoire national des certifications professionnelles, publié au Journal officiel du 4 janvier 2019",
    "Enregistrement pour 3 ans, au niveau I, sous l’intitulé « Expert en stratégie digitale », avec effet au 4 octobre 2018, jusqu’au 4 janvier 2022",
    "Arrêté du 26 septembre 2016 portant enregistrement au répertoire national des certifications professionnelles, publié au Journal officiel du 4 octobre 2016",
    "Enregistrement pour 2 ans, au niveau I, sous l’intitulé « Expert(e) en stratégie digitale », avec effet au 16 juin 2016, jusqu’au 4 octobre 2018",
    "Arrêté du 24 mai 2013 portant enregistrement au répertoire national des certifications professionnelles, publié au Journal officiel du 16 juin 2013",
    "Enregistrement pour 3 ans, au niveau I, sous l’intitulé « Expert en stratégie digitale », avec effet au 21 juillet 2011, jusqu’au 16 juin 2016. Autorité responsable : ECAD Consultant - IESA Multimédia.",
    "Inactive — enregistrement terminé le 4 janvier 2022",
    # Statistiques par établissement
    "IESA multimédia : 70 titrés par an", "IICP : 22 titrés par an", "HETIC : 13 titrés par an",
    "Digital Campus Bordeaux : 22 titrés par an", "Digital Campus Toulouse : 22 titrés par an",
    "Digital Campus Rennes : 43 titrés par an", "Digital Campus Lyon : 23 titrés par an", "Digital Campus Montpellier : 17 titrés par an",
    # Lieux
    "ECAD consultants - IESA multimédia (pour ECAD Consultant - IESA Multimédia) 5 rue Saint Augustin 75002 Paris",
    "ESGCV-Digital Campus (pour ESGCV-Digital Campus) Campus Bassins à Flot, Bassin à Flot N°1, BAT G3, Rue Lucien Faure 33000 Bordeaux",
    "Lieux déclarés par ECAD Consultant - IESA Multimédia IESA multimédia 5 rue Saint Augustin 75002 Paris",
    "IICP 59 rue Nationale 75013 Paris", "HETIC 27 Bis rue du Progrès 93100 Montreuil",
    "STUDIALIS Formation Professionnelle 35 av Philippe Auguste 75011 Paris",
    "Lieux déclarés par ESGCV-Digital Campus Digital Campus Bordeaux Campus Bassins à Flot, Bassin à Flot N°1, BAT G3, Rue Lucien Faure 33000 Bordeaux",
    "Digital Campus Toulouse 2480, voie l'Occitane 31670 Labège", "Digital Campus Rennes 3, place du Général Giraud 35000 Rennes",
    "Digital Campus Lyon Campus Région du Numérique, 11 passage Panama, Bâtiment King Charles, Entrée Hall B 69002 Lyon",
    "Digital Campus Montpellier ZAC Port Marianne Hippocrate, 349, rue de la Cavalade, CS 90781 34965 Montpellier Cedex 2",
    # Historique
    "Directeur de projets en édition et communication numériques — RNCP9052 sur le site de France compétences",
]

BLOCS_16959 = {
    "rncp16959bc01": [
        "Piloter un dispositif digital", "Accompagner la transition digitale en interne et à l’externe",
        "cas pratique à partir d’une problématique d’entreprise. Le/la candida/e doit mettre en œuvre un projet de management et de conduite du projet digital jusqu’à sa restitution et mettre en œuvre des mécanismes de reporting sur l’avancée du projet.",
    ],
    "rncp16959bc02": [
        "Définir les solutions techniques d’un projet digital", "Évaluer les ressources humaines nécessaires",
        "Recueillir et utiliser les données d’usage pour son offre de service",
        "le/la candidat/e doit réaliser un audit digital et, en fonction de la stratégie de l’entreprise, proposer des solutions digitales adaptées aux cibles utilisateurs.",
        "Modalité de certification : Un certificat des compétences attestées selon les modalités d'évaluation décrites sera délivré à chaque candidat/e à l’issue de la validation du bloc de compétences.",
    ],
    "rncp16959bc03": [
        "Définir une stratégie digitale", "pertinente au regard du contexte, du marché et des usages",
        "Élaborer une stratégie de communication et marketing digital, son modèle économique, son budget et les plans d’actions",
        "Cas pratique n°1 à partir d’une problématique d’entreprise et d’un travail de segmentation de la cible utilisateur",
        "Cas pratique n°2 : Le /la candidat/e devra conduire une veille en français et en anglais et produire des recommandations.",
        "Modalité de certification : Un certificat des compétences attestées",
    ],
    "rncp16959bc04": [
        "Déployer un dispositif digital de communication et marketing",
        "Définir une politique d’implantation sur les supports digitaux et les réseaux sociaux et organiser tous les moyens",
        "Produire et décliner les contenus en fonction des canaux digitaux retenus",
        "décrire des actions à mettre en place au sein des communautés d’internautes. il/elle devra justifier ses choix et les argumenter",
        "Modalité de certification : Un certificat des compétences attestées",
    ],
}

CASES = [("fiches/rncp26224", fact) for fact in FICHE_26224] + [("fiches/rncp16959", fact) for fact in FICHE_16959]
CASES += [(f"fiches/rncp26224/blocs/{code}", fact) for code, facts in BLOCS_26224.items() for fact in facts]
CASES += [(f"fiches/rncp16959/blocs/{code}", fact) for code, facts in BLOCS_16959.items() for fact in facts]


@pytest.mark.parametrize("path, fact", CASES, ids=[f"{p.split('/')[-1]}-{i}" for i, (p, _) in enumerate(CASES)])
def test_seed_fact_is_on_the_page(example_site, path, fact):
    assert fact in page_text(example_site, path)


def test_each_bloc_is_listed_on_its_fiche(example_site):
    for fiche, blocs in (("rncp26224", BLOCS_26224), ("rncp16959", BLOCS_16959)):
        text = page_text(example_site, f"fiches/{fiche}")
        for code, facts in blocs.items():
            assert f"{code.upper()} {facts[0]}" in text


def test_seed_links(example_site):
    links = page_links(example_site, "fiches/rncp26224")
    assert {"http://www.carrel.fr", "https://www.francecompetences.fr/recherche/rncp/26224/"} <= links
    assert {f"https://candidat.francetravail.fr/metierscope/fiche-metier/{c}" for c in ("M1705", "M1702", "E1101", "E1401", "E1402")} <= links
    links = page_links(example_site, "fiches/rncp16959")
    assert {"http://www.iesamultimedia.com", "http://www.iesamultimedia.fr", "http://www.digital-campus.fr", "http://www.hetic.net",
            "http://www.iicp.fr", "http://www.esg-executive.fr", "https://www.francecompetences.fr/recherche/rncp/9052/"} <= links
    assert {f"https://candidat.francetravail.fr/metierscope/fiche-metier/{c}" for c in ("E1103", "E1104", "E1105", "M1705", "M1802")} <= links


def test_pdf_hyphenation_is_mended(example_site):
    for path in ("fiches/rncp16959", "fiches/rncp16959/blocs/rncp16959bc01", "fiches/rncp16959/blocs/rncp16959bc03"):
        text = page_text(example_site, path)
        for broken in ("méca-nismes", "bud-gétaires", "perti-nente", "En-trée", "numé-rique", "iesamultimedia .fr"):
            assert broken not in text
