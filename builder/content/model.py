"""The fiche model: one declared source of truth for validation, defaults,
field documentation (in French, for editors) and the JSON Schema.

Field names are the YAML keys, in the snake_case of France compétences' official
export (XML flux v4.1), so YAML key = model attribute = template variable.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .fieldtypes import (
    Booleen,
    CodeBloc,
    CodeInsee,
    CodesBlocs,
    CodeNsf,
    CodePostal,
    CodeRome,
    Date,
    DatePartielle,
    Empreinte,
    Entier,
    Formacode,
    Ligne,
    Markdown,
    Niveau,
    Nom,
    Numero,
    Pourcentage,
    Siret,
    Url,
)


class Strict(BaseModel):
    """Every model refuses unknown keys: a typo is an error, never a silent new field."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Abrege(Strict):
    code: Ligne = Field(description="Abréviation du type de diplôme (ex. BTS, TP, CQP).")
    libelle: Ligne | None = Field(None, description="Type de diplôme en toutes lettres (ex. Brevet de technicien supérieur).")


class Certificateur(Strict):
    nom: Nom = Field(description="Nom légal de l'organisme certificateur (autorité responsable de la certification).")
    siret: Siret | None = Field(None, description="Numéro SIRET à 14 chiffres, s'il est connu.")
    nom_commercial: Ligne | None = Field(None, description="Nom commercial, s'il diffère du nom légal.")
    site_internet: Url | None = Field(None, description="Site internet de l'autorité délivrant la certification.")
    etat: Literal["Actif", "Inactif"] | None = Field(None, description="État du certificateur dans le répertoire : Actif ou Inactif.")
    qualite_signataire: Ligne | None = Field(None, description="Qualité du signataire de la certification (ex. Présidente). Rubrique des anciennes fiches CNCP.")


class Nsf(Strict):
    code: CodeNsf = Field(description="Code NSF (nomenclature des spécialités de formation) : 3 chiffres et une lettre facultative, ex. 326w.")
    libelle: Ligne | None = Field(None, description="Libellé du code NSF, ex. « Informatique commercialisation ».")


class FormacodeRef(Strict):
    code: Formacode = Field(description="Formacode à 5 chiffres.")
    libelle: Ligne | None = Field(None, description="Libellé du Formacode.")


class Rome(Strict):
    code: CodeRome = Field(description="Code ROME du métier le plus proche : une lettre A–N et 4 chiffres, ex. M1705 ; un code de domaine professionnel finit par 00, ex. A1500.")
    libelle: Ligne | None = Field(None, description="Libellé du code ROME tel qu'il figure sur la fiche, ex. « Marketing ».")


class Ccn(Strict):
    numero: Ligne = Field(description="Numéro (IDCC) de la convention collective.")
    libelle: Ligne = Field(description="Intitulé de la convention collective.")


class Bloc(Strict):
    code: CodeBloc = Field(description="Code du bloc : numéro de la fiche, BC et deux chiffres, ex. RNCP26224BC01.")
    libelle: Ligne = Field(description="Intitulé du bloc de compétences.")
    liste_competences: Markdown | None = Field(None, description="Compétences du bloc (descriptif), en Markdown.")
    modalites_evaluation: Markdown | None = Field(None, description="Modalités d'évaluation du bloc, en Markdown.")
    facultatif: Booleen = Field(False, description="true si le bloc est facultatif.")
    prerequis_entree_formation_bloc: Markdown | None = Field(None, description="Prérequis pour entrer en formation sur ce bloc.")
    prerequis_validation_bloc: Markdown | None = Field(None, description="Prérequis pour valider ce bloc.")


class Voie(Strict):
    actif: Booleen = Field(None, description="true si la voie d'accès est ouverte, false si elle est fermée, vide si l'information manque (affiché « Non renseigné »).")
    composition_jury: Markdown | None = Field(None, description="Composition du jury pour cette voie d'accès, en Markdown.")
    commentaire: Ligne | None = Field(None, description="Précision sur la voie d'accès (ex. « Dispositif VAE prévu en 2014 »).")


class VoiesAcces(Strict):
    """The six access routes of the official export (SI_JURY_FI … SI_JURY_VAE)."""

    FI: Voie = Field(default_factory=Voie, description="Après un parcours de formation sous statut d'élève ou d'étudiant.")
    CA: Voie = Field(default_factory=Voie, description="En contrat d'apprentissage.")
    FC: Voie = Field(default_factory=Voie, description="Après un parcours de formation continue.")
    CQ: Voie = Field(default_factory=Voie, description="En contrat de professionnalisation.")
    CL: Voie = Field(default_factory=Voie, description="Par candidature individuelle.")
    VAE: Voie = Field(default_factory=Voie, description="Par expérience (validation des acquis de l'expérience).")


class Publication(Strict):
    titre: Ligne = Field(description="Texte de référence, ex. « Arrêté du 26 mai 2016 portant enregistrement au répertoire national des certifications professionnelles ».")
    date_publication_jo: Date = Field(None, description="Date de publication au Journal officiel (AAAA-MM-JJ).")
    intitule: Ligne | None = Field(None, description="Intitulé sous lequel la certification est enregistrée par ce texte.")
    niveau: Ligne | None = Field(None, description="Niveau indiqué par ce texte, tel qu'il est écrit (ex. II, ou 6).")
    duree_enregistrement: Entier | None = Field(None, description="Durée de l'enregistrement, en années.")
    date_effet: Date = Field(None, description="Date d'effet de l'enregistrement (AAAA-MM-JJ).")
    date_fin_enregistrement: Date = Field(None, description="Date de fin de l'enregistrement prévue par ce texte (AAAA-MM-JJ).")
    autorite_responsable: Ligne | None = Field(None, description="Autorité responsable nommée par ce texte.")


class CertificationLiee(Strict):
    numero: Numero = Field(description="Numéro de la fiche liée, ex. RNCP9052.")
    intitule: Ligne | None = Field(None, description="Intitulé de la fiche liée (utile quand elle n'est pas dans le catalogue).")


class Correspondance(Strict):
    bloc: CodesBlocs = Field(default_factory=list, description="Code du bloc de cette fiche (ou liste de codes) ; vide quand c'est la certification entière qui est équivalente.")
    numero: Numero = Field(description="Numéro de l'autre fiche.")
    bloc_correspondant: CodesBlocs = Field(default_factory=list, description="Code du bloc équivalent dans l'autre fiche (ou liste de codes) ; vide quand c'est l'autre certification entière.")


class StatistiquePromotion(Strict):
    annee: Entier = Field(description="Année de la promotion.")
    nombre_certifies: Entier | None = Field(None, description="Nombre de certifiés.")
    nombre_certifies_vae: Entier | None = Field(None, description="Nombre de certifiés par la VAE.")
    taux_insertion_global_6mois: Pourcentage | None = Field(None, description="Taux d'insertion global à 6 mois, en %.")
    taux_insertion_metier_6mois: Pourcentage | None = Field(None, description="Taux d'insertion dans le métier visé à 6 mois, en %.")
    taux_insertion_metier_2ans: Pourcentage | None = Field(None, description="Taux d'insertion dans le métier visé à 2 ans, en %.")


class StatistiqueOrganisme(Strict):
    organisme: Ligne = Field(description="Établissement ou campus.")
    titres_par_an: Entier = Field(description="Nombre moyen de titrés par an dans cet établissement.")


class Partenaire(Strict):
    nom: Ligne = Field(description="Nom de l'organisme habilité.")
    siret: Siret | None = Field(None, description="SIRET de l'organisme habilité.")
    habilitation: Ligne | None = Field(
        None, description="Habilitation, telle que l'export officiel l'écrit : HABILITATION_FORMER (préparer), HABILITATION_ORGANISER (organiser l'évaluation), HABILITATION_ORGA_FORM (les deux)…"
    )
    etat: Literal["Actif", "Inactif", "Supprimé"] | None = Field(None, description="État de l'habilitation.")


class Offre(Strict):
    """Where an imported place comes from: an offer of the national training offer (LHEO)."""

    source: Ligne = Field(description="Fichier d'offres importé (son nom sans date), ex. offres-formation-bretagne.")
    numero: Ligne = Field(description="Numéros de la formation et de l'action dans ce fichier : le même lieu d'une offre à l'autre.")
    date: Date = Field(None, description="Date du fichier d'offres importé (AAAA-MM-JJ).")
    empreinte: Empreinte | None = Field(None, description="Empreinte du lieu tel qu'il a été importé (écrite par catalogue import ; ne pas modifier).")


class Lieu(Strict):
    organisme: Ligne = Field(description="Nom de l'établissement ou du site.")
    siret: Siret | None = Field(None, description="SIRET de l'organisme, s'il est connu : il relie le lieu à un organisme habilité de la fiche.")
    adresse: Ligne | None = Field(None, description="Adresse sans le code postal ni la commune, ex. « 119 rue Boileau ».")
    code_postal: CodePostal | None = Field(None, description="Code postal à 5 chiffres, entre guillemets : \"06560\".")
    commune: Ligne | None = Field(None, description="Commune (ou localité) de l'adresse, ex. Lyon, Montpellier Cedex 2.")
    code_insee: CodeInsee | None = Field(None, description="Code INSEE de la commune, entre guillemets : \"35238\" ; le plus sûr pour situer le lieu.")
    declare_par: Ligne | None = Field(None, description="Nom du certificateur qui a déclaré ce lieu (doit figurer dans `certificateurs`).")
    a_distance: Booleen = Field(False, description="true pour une préparation entièrement à distance (pas d'adresse requise).")
    mixte: Booleen = Field(False, description="true pour une préparation en partie sur place, en partie à distance.")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude (WGS 84), si elle est connue.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude (WGS 84), si elle est connue.")
    heures: Entier | None = Field(None, description="Durée de la formation, en heures.")
    session_debut: DatePartielle | None = Field(None, description="Début de la prochaine session : AAAA-MM-JJ, ou AAAA-MM quand le jour n'est pas connu.")
    session_fin: DatePartielle | None = Field(None, description="Fin de la prochaine session : AAAA-MM-JJ, ou AAAA-MM quand le jour n'est pas connu.")
    alternance: Ligne | None = Field(None, description="Modalités de l'alternance (rythme école / entreprise), s'il y en a.")
    url: Url | None = Field(None, description="Page de la formation chez l'organisme.")
    offre: Offre | None = Field(None, description="Origine d'un lieu importé de l'offre de formation (écrit par catalogue import) ; un lieu sans `offre` est le vôtre et n'est jamais touché par un import.")


class SourceOfficielle(Strict):
    nom: Ligne = Field(description="Producteur des données importées, ex. France compétences (data.gouv.fr).")
    date_export: Date = Field(None, description="Date de l'export officiel importé (AAAA-MM-JJ).")
    empreintes: dict[str, Empreinte] = Field(
        default_factory=dict,
        description="Empreinte de chaque champ officiel tel qu'il a été importé (écrite par catalogue import ; ne pas modifier) : "
        "un avertissement sur un champ resté tel quel est signalé sans faire échouer `catalogue check --strict`.",
    )


class Fiche(Strict):
    """Une fiche du Répertoire national des certifications professionnelles (RNCP) ou du Répertoire spécifique (RS)."""

    numero: Numero = Field(description="Numéro de la fiche, ex. RNCP26224 ou RS1234. Le fichier s'appelle rncp26224.yaml.")
    intitule: Ligne = Field(description="Intitulé de la certification.")
    abrege: Abrege | None = Field(None, description="Type de diplôme abrégé (ex. BTS), s'il existe.")
    etat_fiche: Literal["Publiée", "Modifications à valider", "Modifications à valider par le ministère", "Dépubliée/Archivée"] | None = Field(
        None, description="État de publication de la fiche dans le répertoire."
    )
    actif: Booleen = Field(None, description="false pour forcer le statut « inactive » ; sinon le statut se déduit de date_fin_enregistrement.")
    type_enregistrement: Literal["Enregistrement de droit", "Enregistrement sur demande"] | None = Field(None, description="Type d'enregistrement.")
    niveau: Niveau = Field(None, description="Niveau du cadre national des certifications, de 1 à 8 (ex. 6 = équivalent Bac+3). Vide pour les fiches RS.")
    certificateurs: list[Certificateur] = Field(description="Organismes certificateurs (au moins un ; une liste vide n'est admise que pour une fiche importée dont l'export officiel ne nomme aucun certificateur).")
    nsf: list[Nsf] = Field(default_factory=list, description="Codes NSF (spécialités de formation).")
    formacodes: list[FormacodeRef] = Field(default_factory=list, description="Formacodes.")
    rome: list[Rome] = Field(default_factory=list, description="Codes ROME des métiers les plus proches (5 au plus).")
    ccn: list[Ccn] = Field(default_factory=list, description="Conventions collectives.")
    objectifs_contexte: Markdown | None = Field(None, description="Objectifs et contexte de la certification, en Markdown.")
    activites_visees: Markdown | None = Field(None, description="Activités visées (résumé du référentiel d'emploi), en Markdown.")
    capacites_attestees: Markdown | None = Field(None, description="Compétences ou capacités attestées, en Markdown.")
    secteurs_activite: Markdown | None = Field(None, description="Secteurs d'activité, en Markdown.")
    type_emploi_accessibles: Markdown | None = Field(None, description="Types d'emplois accessibles, en Markdown.")
    reglementations_activites: Markdown | None = Field(None, description="Références de réglementation des activités, en Markdown.")
    prerequis_entree_formation: Markdown | None = Field(None, description="Prérequis à l'entrée en formation, en Markdown.")
    prerequis_validation_certification: Markdown | None = Field(None, description="Prérequis à la validation de la certification, en Markdown.")
    descriptif_composantes: Markdown | None = Field(None, description="Descriptif des composantes de la certification (rubrique des anciennes fiches CNCP), en Markdown.")
    validite_composantes: Ligne | None = Field(None, description="Validité des composantes acquises, ex. « 5 ans » ou « illimitée ».")
    blocs: list[Bloc] = Field(default_factory=list, description="Blocs de compétences (aucun pour une fiche RS).")
    validation_partielle: Booleen = Field(None, description="true si la certification peut être obtenue en partie (par blocs) ; surtout pour les fiches RS.")
    validation_partielle_perimetre: Markdown | None = Field(None, description="Ce que couvre une validation partielle, en Markdown.")
    niveau_maitrise_competences: Markdown | None = Field(None, description="Niveau de maîtrise des compétences attendu (fiches RS), en Markdown.")
    duree_validite: Ligne | None = Field(None, description="Durée de validité de la certification une fois obtenue (fiches RS), ex. « 3 ans ».")
    modalites_renouvellement: Markdown | None = Field(None, description="Modalités de renouvellement de la certification (fiches RS), en Markdown.")
    voies_acces: VoiesAcces = Field(default_factory=VoiesAcces, description="Les six voies d'accès à la certification, avec la composition des jurys.")
    accessible_nouvelle_caledonie: Booleen = Field(None, description="true / false ; vide si l'information manque.")
    accessible_polynesie_francaise: Booleen = Field(None, description="true / false ; vide si l'information manque.")
    date_decision: Date = Field(None, description="Date de la décision d'enregistrement (AAAA-MM-JJ).")
    date_effet: Date = Field(None, description="Date d'effet de l'enregistrement en cours (AAAA-MM-JJ).")
    date_dernier_jo: Date = Field(None, description="Date de la dernière publication au Journal officiel (AAAA-MM-JJ).")
    date_fin_enregistrement: Date = Field(None, description="Date de fin d'enregistrement (AAAA-MM-JJ) : après elle, la fiche est inactive.")
    date_limite_delivrance: Date = Field(None, description="Date limite de délivrance aux candidats déjà engagés (AAAA-MM-JJ).")
    date_de_publication: Date = Field(None, description="Date de publication de la fiche (enregistrements de droit, AAAA-MM-JJ).")
    annees_promotions_niveau: list[Entier] = Field(default_factory=list, description="Années des promotions qui bénéficient du niveau de la fiche.")
    duree_enregistrement: Entier | None = Field(None, description="Durée de l'enregistrement en cours, en années.")
    publication_decret_general: list[Publication] = Field(default_factory=list, description="Base légale : décret général.")
    publication_decret_creation: list[Publication] = Field(default_factory=list, description="Base légale : arrêté de création (ou premier arrêté d'enregistrement).")
    publication_decret_autre: list[Publication] = Field(default_factory=list, description="Base légale : autres références (arrêtés de renouvellement…).")
    anciennes_certifications: list[CertificationLiee] = Field(default_factory=list, description="Certifications précédentes (remplacées par celle-ci).")
    nouvelles_certifications: list[CertificationLiee] = Field(default_factory=list, description="Certifications qui remplacent celle-ci.")
    correspondances: list[Correspondance] = Field(default_factory=list, description="Équivalences avec d'autres fiches : de blocs à blocs, ou de la certification entière.")
    statistiques: list[StatistiquePromotion] = Field(default_factory=list, description="Statistiques officielles par promotion.")
    statistiques_organismes: list[StatistiqueOrganisme] = Field(default_factory=list, description="Nombre moyen de titrés par an, par établissement (anciennes fiches CNCP).")
    partenaires: list[Partenaire] = Field(default_factory=list, description="Organismes habilités à préparer ou à organiser l'évaluation.")
    lieux_certification: list[Lieu] = Field(default_factory=list, description="Lieux de certification.")
    lieux_preparation: list[Lieu] = Field(default_factory=list, description="Lieux de préparation, avec leur adresse.")
    autres_sources_information: list[Url] = Field(default_factory=list, description="Autres sources d'information (adresses web).")
    referentiel_url: Url | None = Field(None, description="Adresse du référentiel téléchargeable sur le site de France compétences, si elle est connue.")
    source_officielle: SourceOfficielle | None = Field(None, description="Origine des champs officiels d'une fiche importée (écrit par catalogue import).")

    # A light fiche (see catalogue.allegee) says what its full fiche dropped: the number of its
    # bodies and a digest of them. None on a full fiche.
    _organismes: tuple[int, str] | None = PrivateAttr(None)

    @property
    def slug(self) -> str:
        return self.numero.lower()

    @property
    def legere(self) -> bool:
        """Whether it is a light fiche (its long texts, bodies and legal texts left out)."""
        return self._organismes is not None

    @property
    def nombre_partenaires(self) -> int:
        return self._organismes[0] if self._organismes is not None else len(self.partenaires)

    @property
    def est_rs(self) -> bool:
        return self.numero.startswith("RS")

    @property
    def numero_court(self) -> str:
        """The number without its prefix: 26224 for RNCP26224."""
        return self.numero.removeprefix("RNCP").removeprefix("RS")
