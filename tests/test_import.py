"""`catalogue import`: the official export (XML flux, zipped or not, or the CSV zip) -> YAML fiches."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from builder.cli import main
from builder.importers.rncp_csv import iter_csv_zip
from builder.importers.rncp_xml import from_xml
from builder.importers.repair import repair
from builder.importers.values import markdown, urls

from .conftest import ROOT

SAMPLE = ROOT.parent / "shared" / "data" / "rncp-export-sample" / "export_fiches_RNCP_V4_1_sample.xml"
TODAY = ["--today", "2026-11-23"]


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "content" / "fiches").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", tmp_path / "content")
    return tmp_path


@pytest.fixture
def sample(tmp_path) -> Path:
    """The real sample; CI has ../shared, and a copy is kept with the tests for a lone clone."""
    copy = Path(__file__).parent / "fixtures" / "export" / "export_fiches_RNCP_V4_1_sample.xml"
    return SAMPLE if SAMPLE.is_file() else copy


def test_the_two_real_fiches_import_check_build_and_show_their_content(project, sample, capsys):
    assert main(["import", str(sample), "RNCP35809", "RNCP39568", "--root", str(project), "--date", "2026-08-16"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"created {project}/content/fiches/rncp35809.yaml"
    assert main(["check", "--root", str(project), *TODAY]) == 0
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), *TODAY]) == 0
    page = BeautifulSoup((project / "site" / "fiches" / "rncp39568" / "index.html").read_text(), "html.parser")
    assert page.h1.text == "Diplôme d’études supérieures en management (Programme Grande École)"
    official = ElementTree.parse(sample).getroot().findall("FICHE")[1]
    codes = sorted(c.text for c in official.findall("BLOCS_COMPETENCES/BLOC_COMPETENCES/CODE"))
    assert [h.select_one(".numero").text for h in page.select("h3.bloc-titre")] == codes  # every bloc, in code order
    assert len(list((project / "site" / "fiches" / "rncp39568" / "blocs").iterdir())) == len(codes)
    certifiers = [a.text for a in page.select("#essentiel li a[href*='certificateurs']")]
    assert certifiers == ["ETABLISSEMENT D'ENSEIGNEMENT SUPERIEUR CONSULAIRE GRENOBLE ECOLE DE MANAGEMENT",
                          "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE"]
    assert [a.text.split(' — ')[0] for a in page.select("#metier a[href*='/rome/']")][:2] == ["M1202", "M1205"]
    routes = {li.h3.text.strip(): li.strong.text for li in page.select("#acces li.voie")}
    assert routes == {
        "Après un parcours de formation sous statut d'élève ou d'étudiant": "Oui", "En contrat d'apprentissage": "Oui",
        "Après un parcours de formation continue": "Oui", "En contrat de professionnalisation": "Oui",
        "Par candidature individuelle": "Non", "Par expérience (VAE)": "Oui",
    }
    assert "Le jury est nommé par le Recteur d’Académie" in page.select_one("#acces").text
    assert "Source : France compétences (data.gouv.fr), export du 16 août 2026 (Licence Ouverte)." in page.text
    bts = BeautifulSoup((project / "site" / "fiches" / "rncp35809" / "index.html").read_text(), "html.parser")
    assert bts.h1.text == "Finition, aménagement des bâtiments : conception et réalisation"
    assert [li.text for li in bts.select("#metier ul li")][:2] == ["Concevoir un projet", "Analyser le dossier de l’affaire"]


def test_flattened_rich_text_becomes_markdown():
    flat = ("Les activités visées sont les suivantes :    - Concevoir un projet  - Analyser le dossier  "
            "o Lire les plans  o Chiffrer  - Gérer le chantier; - Réceptionner  Les entreprises sont de tailles "
            "variées,  de l’artisan au grand groupe.")
    assert markdown(flat) == (
        "Les activités visées sont les suivantes :\n\n"
        "- Concevoir un projet\n- Analyser le dossier\n  - Lire les plans\n  - Chiffrer\n- Gérer le chantier;\n- Réceptionner\n\n"
        "Les entreprises sont de tailles variées, de l’artisan au grand groupe."
    )
    assert markdown("   ") is None and markdown("* un  * deux") == "- un\n- deux"


def test_real_data_quirks():
    xml = """<FICHE><NUMERO_FICHE>RNCP40505</NUMERO_FICHE><INTITULE>X</INTITULE>
      <CERTIFICATEURS>
        <CERTIFICATEUR><SIRET_CERTIFICATEUR>11004401300040</SIRET_CERTIFICATEUR><NOM_CERTIFICATEUR>MINISTERE</NOM_CERTIFICATEUR><ETAT_CERTIFICATEUR>Inactif</ETAT_CERTIFICATEUR></CERTIFICATEUR>
        <CERTIFICATEUR><SIRET_CERTIFICATEUR>11004401300040</SIRET_CERTIFICATEUR><NOM_CERTIFICATEUR>MINISTERE</NOM_CERTIFICATEUR><ETAT_CERTIFICATEUR>Actif</ETAT_CERTIFICATEUR></CERTIFICATEUR>
        <CERTIFICATEUR><NOM_CERTIFICATEUR>ECOLE SANS SIRET</NOM_CERTIFICATEUR></CERTIFICATEUR>
      </CERTIFICATEURS>
      <BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>02</CODE><LIBELLE>B</LIBELLE></BLOC_COMPETENCES>
        <BLOC_COMPETENCES><CODE>01</CODE><LIBELLE>A</LIBELLE></BLOC_COMPETENCES></BLOCS_COMPETENCES>
      <LIEN_URL_DESCRIPTION>https://www.a.fr  *       *  www.b.fr/formation https://www.a.fr</LIEN_URL_DESCRIPTION>
      <CODES_ROME><ROME><CODE>M1899</CODE><LIBELLE>Code renommé ou inconnu</LIBELLE></ROME></CODES_ROME>
      <DATE_FIN_ENREGISTREMENT>31/08/2029</DATE_FIN_ENREGISTREMENT><NOMENCLATURE_EUROPE><NIVEAU>NIV6</NIVEAU></NOMENCLATURE_EUROPE>
      <SI_JURY_CL><ACTIF>Non</ACTIF></SI_JURY_CL>
      <VALIDATION_PARTIELLE>Oui</VALIDATION_PARTIELLE><VALIDATION_PARTIELLE_PERIMETRE>Chaque bloc  - A  - B</VALIDATION_PARTIELLE_PERIMETRE>
      <DUREE_VALIDITE>3  ans</DUREE_VALIDITE><ANNEES_PROMOTIONS_NIVEAU><ANNEE>2019</ANNEE><ANNEE>2020</ANNEE></ANNEES_PROMOTIONS_NIVEAU>
      <DATE_DE_PUBLICATION>01/02/2021</DATE_DE_PUBLICATION></FICHE>"""
    fiche = from_xml(ElementTree.fromstring(xml))
    repair(fiche)
    assert fiche["certificateurs"] == [{"nom": "MINISTERE", "siret": "11004401300040", "etat": "Actif"}, {"nom": "ECOLE SANS SIRET"}]
    assert [b["code"] for b in fiche["blocs"]] == ["RNCP40505BC01", "RNCP40505BC02"]
    assert fiche["autres_sources_information"] == ["https://www.a.fr", "https://www.b.fr/formation"]
    assert fiche["rome"] == [{"code": "M1899", "libelle": "Code renommé ou inconnu"}]  # kept: check warns about it
    assert (fiche["niveau"], fiche["date_fin_enregistrement"], fiche["voies_acces"]) == (6, "2029-08-31", {"CL": {"actif": False}})
    assert (fiche["validation_partielle"], fiche["validation_partielle_perimetre"], fiche["duree_validite"]) == (True, "Chaque bloc\n\n- A\n- B", "3 ans")
    assert (fiche["annees_promotions_niveau"], fiche["date_de_publication"]) == ([2019, 2020], "2021-02-01")
    assert urls("voir http://x.fr, puis https://y.org/a") == ["http://x.fr", "https://y.org/a"]


def test_reimport_refreshes_official_fields_and_keeps_the_schools(project, sample, capsys):
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-08-16"]) == 0
    fiche = project / "content" / "fiches" / "rncp39568.yaml"
    text = fiche.read_text(encoding="utf-8")
    text = text.replace("intitule: Diplôme", "intitule: Mon intitulé retouché — Diplôme")
    text += ("# Nos campus, ajoutés par l'école\nlieux_preparation:\n  - organisme: Campus de Grenoble\n"
             "    code_postal: \"38000\"\n    commune: Grenoble\n    lat: 45.1885\n    lon: 5.7245\n")
    fiche.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-08-16", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"would update {fiche} (intitule)"
    assert fiche.read_text(encoding="utf-8") == text  # a dry run writes nothing
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-09-01"]) == 0
    after = fiche.read_text(encoding="utf-8")
    assert "intitule: Diplôme d’études supérieures en management (Programme Grande École)" in after
    assert "# Nos campus, ajoutés par l'école\nlieux_preparation:\n  - organisme: Campus de Grenoble" in after
    assert "lat: 45.1885" in after and "date_export: 2026-09-01" in after
    assert main(["check", "--root", str(project), *TODAY]) == 0
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-09-01"]) == 0
    assert f"unchanged {fiche}" in capsys.readouterr().out.splitlines()


def test_zipped_xml_all_and_unknown_numbers(project, sample, tmp_path, capsys):
    archive = tmp_path / "export-fiches-rncp-v4-1-2026-08-16.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(sample, "export_fiches_RNCP_V4_1_2026-08-16.xml")
    assert main(["import", str(archive), "--all", "--root", str(project)]) == 0
    assert sorted(p.name for p in (project / "content" / "fiches").iterdir()) == ["rncp35809.yaml", "rncp39568.yaml"]
    assert "date_export: 2026-08-16" in (project / "content" / "fiches" / "rncp35809.yaml").read_text()
    capsys.readouterr()
    assert main(["import", str(archive), "RNCP1", "--root", str(project)]) == 1
    assert capsys.readouterr().err == "catalogue import: not in this export: RNCP1; nothing was written\n"
    assert main(["import", str(archive), "--root", str(project)]) == 1


def test_the_csv_export_gives_the_fields_it_has(project, tmp_path):
    tables = {
        "Standard": "Id_Fiche;Numero_Fiche;Intitule;Abrege_Libelle;Abrege_Intitule;Nomenclature_Europe_Niveau;Nomenclature_Europe_Intitule;"
                    "Accessible_Nouvelle_Caledonie;Accessible_Polynesie_Francaise;Date_dernier_jo;Date_Decision;Date_Fin_Enregistrement;"
                    "Date_Effet;Type_Enregistrement;Validation_Partielle;Actif\r\n"
                    '"1";"RNCP35809";"Finition, aménagement des bâtiments";"BTS";"Brevet de technicien supérieur";"NIV5";"Niveau 5";'
                    '"Non";"Non";"";"";"31/08/2026";"01/09/2021";"Enregistrement de droit";"";"ACTIVE"\r\n',
        "Blocs_De_Compétences": 'Numero_Fiche;Bloc_Competences_Code;Bloc_Competences_Libelle\r\n"RNCP35809";"RNCP35809BC02";"Réaliser"\r\n"RNCP35809";"RNCP35809BC01";"Concevoir"\r\n',
        "Rome": 'Numero_Fiche;Codes_Rome_Code;Codes_Rome_Libelle\r\n"RNCP35809";"F1202";"Direction de chantier d\'\'un BTP"\r\n',
        "Nsf": 'Numero_Fiche;Nsf_Code;Nsf_Intitule\r\n"RNCP35809";"233";"233 : Bâtiment"\r\n',
        "Certificateurs": 'Numero_Fiche;Siret_Certificateur;Nom_Certificateur\r\n"RNCP35809";"\t11004401300040";"MINISTERE"\r\n',
        "VoixdAccès": 'Numero_Fiche;Si_Jury\r\n"RNCP35809";"En contrat d’apprentissage";\r\n"RNCP35809";"Par expérience"\r\n'.replace(";\r\n", "\r\n", 1),
    }
    archive = tmp_path / "export-fiches-csv-2026-08-16.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, text in tables.items():
            z.writestr(f"export_fiches_CSV_{name}_2026_08_16.csv", "\ufeff" + text)
    fiche = next(iter_csv_zip(zipfile.ZipFile(archive)))
    fiche["source_officielle"] = {"nom": "France compétences"}
    repair(fiche)
    assert fiche["certificateurs"] == [{"nom": "MINISTERE", "siret": "11004401300040"}]
    assert fiche["nsf"] == [{"code": "233", "libelle": "Bâtiment"}]
    assert fiche["rome"] == [{"code": "F1202", "libelle": "Direction de chantier d'un BTP"}]
    assert [b["code"] for b in fiche["blocs"]] == ["RNCP35809BC01", "RNCP35809BC02"]
    assert fiche["voies_acces"] == {"CA": {"actif": True}, "VAE": {"actif": True}}
    assert (fiche["actif"], fiche["niveau"], fiche["date_fin_enregistrement"]) == (True, 5, "2026-08-31")
    assert main(["import", str(archive), "RNCP35809", "--root", str(project)]) == 0
    assert main(["check", "--root", str(project), *TODAY]) == 0


SHAPES = Path(__file__).parent / "fixtures" / "export" / "shapes.xml"


def test_every_shape_and_gap_of_real_data_imports_and_is_said(project, capsys, monkeypatch):
    """`shapes.xml`: whole-fiche equivalences, RS fiches, domain ROME codes, and the gaps real data
    has (a partner without a name, a bloc without a code, a fiche without a certifier or a
    title…). Each element left out or marked is one line; the files written pass check."""
    monkeypatch.chdir(SHAPES.parent)
    assert main(["import", SHAPES.name, "--all", "--date", "2026-08-16", "--root", str(project)]) == 0
    out = capsys.readouterr().out.replace(f"{project}/", "")
    assert out == (SHAPES.parent / "shapes.expected.txt").read_text(encoding="utf-8")
    assert main(["check", "--root", str(project), *TODAY]) == 0
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 0  # its warnings are about official data
    capsys.readouterr()
    assert main(["build", "--root", str(project), "--templates", str(ROOT / "templates"), *TODAY]) == 0
    page = BeautifulSoup((project / "site" / "fiches" / "rncp37674" / "index.html").read_text(), "html.parser")
    legal = " ".join(page.select_one("#cadre-legal").get_text(" ").split())
    assert "La certification entière : équivalente à RNCP31114 sur le site de France compétences" in legal
    assert "Blocs RNCP37674BC01 et RNCP37674BC02 : équivalents au bloc RNCP35000BC01 de RNCP35000" in legal
    romes = {a.get_text(" ").split(" — ")[0]: li for li in page.select(".liste-rome li") for a in li.select("a")[:1]}
    assert "domaine professionnel" in romes["A1500"].get_text() and not romes["A1500"].select("a[href*=francetravail]")
    assert not romes["M1899"].select("a[href*=francetravail]")  # not in the referential: no dead link
    assert romes["M1805"].select("a[href*=francetravail]")
    assert "Organisme dont l'export officiel ne donne pas le nom" in page.select_one("#preparation").get_text()
    assert "l’interface" in page.select_one("#metier").get_text()  # a Windows-1252 apostrophe (U+0092) mended
    orphan = BeautifulSoup((project / "site" / "fiches" / "rncp20002" / "index.html").read_text(), "html.parser")
    assert "Certificateur Non renseigné" in " ".join(orphan.select_one("#essentiel").get_text(" ").split())
    rs = BeautifulSoup((project / "site" / "fiches" / "rs5000" / "index.html").read_text(), "html.parser")
    assert rs.select_one(".badge-niveau").get_text() == "Sans niveau de qualification" and not rs.select("#blocs")


def test_strict_fails_on_the_editors_work_not_on_official_data(project, capsys):
    assert main(["import", str(SHAPES), "--all", "--date", "2026-08-16", "--root", str(project)]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 0
    err = capsys.readouterr().err
    assert "rncp37674.yaml:28:11: warning (official data, as imported): rome[2].code: M1899 is not a code" in err
    assert main(["check", "--strict", "--format", "github", "--root", str(project), *TODAY]) == 0
    assert "::notice file=content/fiches/rncp37674.yaml,line=28" in capsys.readouterr().err
    fiche = project / "content" / "fiches" / "rncp37674.yaml"
    original = fiche.read_text(encoding="utf-8")
    # the editor changes the official field that has a warning: it is now the editor's, and counts
    fiche.write_text(original.replace("libelle: Code absent du référentiel", "libelle: Mon libellé"), encoding="utf-8")
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 1
    err = capsys.readouterr().err
    assert "rncp37674.yaml:28:11: warning: rome[2].code: M1899" in err
    assert "(--strict: warnings count as errors, except the 2 on official data as imported)" in err
    # the school's own addition with a warning fails --strict in an imported fiche too
    fiche.write_text(original + "lieux_preparation:\n  - organisme: Campus\n    code_postal: \"69002\"\n    commune: Marseille\n",
                     encoding="utf-8")
    assert main(["check", "--root", str(project), *TODAY]) == 0
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 1
    assert "lieux_preparation[0].code_postal" in capsys.readouterr().err
    # re-importing gives the official value back, and its warning is official again
    fiche.write_text(original.replace("libelle: Code absent du référentiel", "libelle: Mon libellé"), encoding="utf-8")
    assert main(["import", str(SHAPES), "RNCP37674", "--date", "2026-08-16", "--root", str(project)]) == 0
    assert main(["check", "--strict", "--root", str(project), *TODAY]) == 0


def test_exit_codes_and_counts(project, capsys, tmp_path):
    # a named fiche that is skipped (it has no title) fails the command; the others are written
    assert main(["import", str(SHAPES), "RS5000", "RNCP20003", "--root", str(project)]) == 1
    out, err = capsys.readouterr()
    assert "RNCP20003: no title (INTITULE) in the export: skipped" in out
    assert "2 fiche(s) read from" in out and "1 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert err == "not imported: RNCP20003 (see above)\n"
    assert (project / "content" / "fiches" / "rs5000.yaml").exists()
    # with --all, records the export cannot give are reported, not failed
    assert main(["import", str(SHAPES), "--all", "--root", str(project)]) == 0
    # a number that is not one is wrong usage of the command, said before anything is read
    assert main(["import", str(SHAPES), "RNCP 12 x", "--root", str(project)]) == 1
    assert capsys.readouterr().err.startswith("catalogue import: RNCP12X is not a fiche number")


def test_a_school_file_that_fails_check_is_not_updated(project, sample, capsys):
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-08-16"]) == 0
    fiche = project / "content" / "fiches" / "rncp39568.yaml"
    broken = fiche.read_text(encoding="utf-8") + "lieux_preparation:\n  - organisme: Campus sans adresse\n"
    fiche.write_text(broken, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-09-01"]) == 1
    out = capsys.readouterr().out
    assert f"RNCP39568: {fiche} is not updated, because it does not pass `catalogue check`" in out
    assert "`code_postal` is required for a place with an address" in out
    assert fiche.read_text(encoding="utf-8") == broken


def test_an_official_field_that_left_the_export_leaves_the_file(project, sample, tmp_path, capsys):
    assert main(["import", str(sample), "RNCP39568", "--root", str(project), "--date", "2026-08-16"]) == 0
    fiche = project / "content" / "fiches" / "rncp39568.yaml"
    assert "formacodes:" in fiche.read_text(encoding="utf-8")
    root = ElementTree.parse(sample).getroot()
    for element in root.iter("FICHE"):
        for codes in element.findall("FORMACODES"):
            element.remove(codes)
    later = tmp_path / "export_fiches_RNCP_V4_1_2026-09-01.xml"
    ElementTree.ElementTree(root).write(later, encoding="utf-8", xml_declaration=True)
    capsys.readouterr()
    assert main(["import", str(later), "RNCP39568", "--root", str(project)]) == 0
    assert f"updated {fiche} (formacodes, source_officielle)" in capsys.readouterr().out
    assert "formacodes:" not in fiche.read_text(encoding="utf-8")
    assert main(["check", "--root", str(project), *TODAY]) == 0


def test_a_record_too_big_for_a_fiche_file_is_skipped_with_its_reason(project, sample, tmp_path, capsys):
    root = ElementTree.parse(sample).getroot()
    fiche = root.findall("FICHE")[0]
    fiche.find("ACTIVITES_VISEES").text = "Une activité très longue.  " * 60_000
    big = tmp_path / "export_fiches_RNCP_V4_1_2026-08-16.xml"
    ElementTree.ElementTree(root).write(big, encoding="utf-8", xml_declaration=True)
    assert main(["import", str(big), "--all", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"RNCP35809: the file would not pass `catalogue check`: content/fiches/rncp35809.yaml: "
                     r"the file is [\d,]+ bytes, more than the 1,048,576 allowed", out)
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert sorted(p.name for p in (project / "content" / "fiches").iterdir()) == ["rncp39568.yaml"]
