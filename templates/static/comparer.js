// The compare page: up to four fiches side by side, one column each. The address holds the
// comparison (`?f=RNCP26224,RNCP16959`, and `pres=`/`km=` for the nearest place of each), so it
// can be shared and bookmarked; without `f`, the fiches put aside on other pages are compared.
// Each fiche's small file (builder/choosing/comparaison.py) is the only data fetched, and the
// positions of its places only for a town. Text is set with textContent; the one piece of HTML
// inserted is each fiche's chart, drawn and escaped by the build.

import { MAXIMUM, choix, retirer as retirerDuChoix } from "./comparaison.js";
import { distanceKm, trouverVille } from "./villes.js";

const racine = document.getElementById("comparer");
const etat = document.getElementById("comparer-etat");
const messages = document.getElementById("comparer-messages");
const formulaire = document.getElementById("comparer-pres");
const champVille = document.getElementById("comparer-ville");
const choixKm = document.getElementById("comparer-km");
const outils = document.querySelector(".comparer-outils");
const boutonIdentiques = document.getElementById("comparer-identiques");
const boite = document.getElementById("comparer-boite");
const table = document.getElementById("comparer-table");
const VOIES = JSON.parse(racine.dataset.voies); // [[code, label], ...] in the official order
const ORDRE_VOIES = ["CA", "VAE", "CQ", "FC", "FI", "CL"]; // what students ask first, first
const NUMERO = /^(RNCP|RS)\d{1,7}$/;

function element(nom, classe, texte) {
  const noeud = document.createElement(nom);
  if (classe) noeud.className = classe;
  if (texte !== undefined && texte !== null) noeud.textContent = texte;
  return noeud;
}

function lien(adresse, texte) {
  const a = element("a", null, texte);
  a.href = adresse;
  return a;
}

function liste(items, classe = "comparer-liste") {
  const ul = element("ul", classe);
  for (const item of items) {
    const li = element("li");
    li.append(item);
    ul.append(li);
  }
  return ul;
}

function nombre(n) {
  return n.toLocaleString("fr-FR");
}

function pluriel(n, mot, pluralise = "s") {
  return `${nombre(n)} ${mot}${n > 1 ? pluralise : ""}`;
}

function message(texte, ...suite) {
  const p = element("p", "avertissement", texte);
  p.append(...suite);
  messages.append(p);
}

// -- the address -----------------------------------------------------------------------------------

function demandes() {
  // the numbers of the address (or, without any, the stored choice), each once, in their order;
  // what is not a number is kept apart, to be named
  const parametres = new URLSearchParams(window.location.search);
  const brut = parametres.get("f");
  const lus = brut === null ? choix().map(([n]) => n) : brut.split(",").map((x) => x.trim().toUpperCase()).filter(Boolean);
  const uniques = [...new Set(lus)];
  return { numeros: uniques.filter((x) => NUMERO.test(x)), invalides: uniques.filter((x) => !NUMERO.test(x)) };
}

function ecrireAdresse(numeros) {
  const adresse = new URL(window.location.href);
  const parametres = new URLSearchParams(adresse.search);
  parametres.set("f", numeros.join(","));
  if (champVille.value.trim()) {
    parametres.set("pres", champVille.value.trim());
    parametres.set("km", choixKm.value);
  } else {
    parametres.delete("pres");
    parametres.delete("km");
  }
  adresse.search = parametres.toString().replace(/%2C/g, ",");
  window.history.replaceState(null, "", adresse);
}

async function charger(numero) {
  try {
    const reponse = await fetch(racine.dataset.donnees.replace("{slug}", numero.toLowerCase()));
    return reponse.ok ? await reponse.json() : null;
  } catch {
    return null;
  }
}

// -- the rows: each a label and, per fiche, a cell and the text two cells are compared by ------------

function oui(valeur) {
  return valeur === true ? "Oui" : valeur === false ? "Non" : "Non renseigné";
}

function statut(f) {
  const fragment = document.createDocumentFragment();
  const actif = f.statut === "Active";
  fragment.append(element("span", `statut statut-${actif ? "active" : "inactive"}`, f.statut));
  if (f.fin) fragment.append(` — ${actif ? "enregistrée jusqu’au" : "enregistrement terminé le"} ${f.fin}`);
  for (const [numero, intitule, adresse] of f.remplacee_par) {
    const p = element("p", "comparer-suite", "Remplacée aujourd’hui par : ");
    p.append(lien(adresse, intitule), ` (${numero})`);
    fragment.append(p);
  }
  return fragment;
}

function blocsEquivalents(fiches) {
  // the equivalences between the fiches compared, each once: [fiche, its blocs, other, their blocs, declared by]
  const compares = new Map(fiches.map((f) => [f.numero, f]));
  const vues = new Map();
  for (const f of fiches) {
    for (const [mes, autre, siens, par] of f.equivalences) {
      if (!compares.has(autre) || autre === f.numero) continue;
      const a = [f.numero, mes.join(" ")], b = [autre, siens.join(" ")];
      const cle = JSON.stringify([a, b].sort());
      const connue = vues.get(cle);
      if (connue) for (const n of par) { if (!connue[4].includes(n)) connue[4].push(n); }
      else vues.set(cle, [f, mes, compares.get(autre), siens, [...par]]);
    }
  }
  return [...vues.values()];
}

function titreBloc(fiche, code) {
  const bloc = fiche.blocs.find(([c]) => c === code);
  return bloc ? `« ${bloc[1]} » (${code})` : code;
}

function cote(fiche, codes) {
  // one side of an equivalence: blocs of a fiche, or the whole of it
  if (!codes.length) return `la certification « ${fiche.intitule} » entière`;
  return `${codes.map((code) => titreBloc(fiche, code)).join(" et ")} de « ${fiche.intitule} »`;
}

function blocs(f, equivalents) {
  const fragment = document.createDocumentFragment();
  if (!f.blocs.length) {
    fragment.append("Aucun bloc de compétences");
    return fragment;
  }
  fragment.append(pluriel(f.blocs.length, "bloc"));
  const marques = new Map(); // bloc code -> the numbers of the other compared fiches it is equivalent to
  for (const [a, mes, b, siens] of equivalents) {
    for (const [ici, codes, la] of [[a, mes, b], [b, siens, a]]) {
      if (ici !== f) continue;
      for (const code of codes) marques.set(code, [...(marques.get(code) || []), la.numero]);
    }
  }
  const ol = element("ol", "comparer-liste");
  for (const [code, intitule, adresse] of f.blocs) {
    const li = element("li");
    li.append(lien(adresse, intitule));
    if (marques.has(code)) li.append(" ", element("span", "marque", `équivalent dans ${marques.get(code).join(", ")}`));
    ol.append(li);
  }
  fragment.append(ol);
  return fragment;
}

function metiers(f, communs) {
  const tries = [...f.rome].sort((x, y) => Number(communs.has(y[0])) - Number(communs.has(x[0])));
  if (!tries.length) return "Non renseignés";
  return liste(tries.map(([code, libelle]) => {
    const fragment = document.createDocumentFragment();
    fragment.append(`${libelle} (${code})`);
    if (communs.has(code)) fragment.append(" ", element("span", "marque", "en commun"));
    return fragment;
  }));
}

function lieux(f) {
  const l = f.lieux;
  if (!l.total) return "Aucun lieu sur place indiqué";
  const fragment = document.createDocumentFragment();
  fragment.append(`${pluriel(l.total, "lieu", "x")} :`);
  const montres = l.regions.slice(0, 5).map(([region, n]) => `${region} : ${nombre(n)}`);
  if (l.regions.length > 5) montres.push(`et ${pluriel(l.regions.length - 5, "autre région")}`);
  fragment.append(liste(montres));
  return fragment;
}

function heures(f) {
  const h = f.lieux.heures;
  if (!h) return "Non renseignée";
  return h[0] === h[1] ? `${nombre(h[0])} heures` : `De ${nombre(h[0])} à ${nombre(h[1])} heures selon le lieu`;
}

function resultats(f) {
  const r = f.resultats;
  if (!r) return "Non publiés";
  const parties = [];
  if (r.certifies !== null) parties.push(`${pluriel(r.certifies, "certifié")}${r.vae !== null ? ` (dont ${nombre(r.vae)} par la VAE)` : ""}`);
  else if (r.vae !== null) parties.push(`${pluriel(r.vae, "certifié")} par la VAE`);
  for (const [cle, texte] of [["global6", "insertion à 6 mois"], ["metier6", "dans le métier à 6 mois"], ["metier2", "dans le métier à 2 ans"]]) {
    if (r[cle] !== null) parties.push(`${texte} : ${nombre(r[cle])} %`);
  }
  return `Promotion ${r.annee} : ${parties.join(" ; ")}`;
}

function graphique(f) {
  if (!f.graphique) return "Pas de graphique : aucun résultat publié";
  const div = element("div", "comparer-graphique");
  div.innerHTML = f.graphique; // drawn and escaped by the build (builder/choosing/graphique.py)
  return div;
}

function liens(f) {
  return liste([lien(f.url, "La fiche du catalogue"), lien(f.officielle, "La fiche officielle (France compétences)")]);
}

function plusProcheTexte(f, proche, km) {
  if (!f.lieux.total) return "Aucun lieu sur place indiqué";
  if (!f.lieux.positions) return "Lieux sans position connue";
  if (!proche) return "Position des lieux indisponible pour le moment : réessayez";
  const distance = proche.distance < 1 ? "moins de 1 km" : `${nombre(Math.round(proche.distance))} km`;
  const ou = `${proche.commune || "Lieu"}${proche.departement ? ` (${proche.departement})` : ""}`;
  const texte = `${ou}, à ${distance}`;
  return proche.distance > km ? `${texte} : aucun dans un rayon de ${km} km` : texte;
}

function lignes(fiches, equivalents, proches, ville, km) {
  const compte = new Map(); // ROME code -> how many compared fiches name it
  for (const f of fiches) for (const code of new Set(f.rome.map(([c]) => c))) compte.set(code, (compte.get(code) || 0) + 1);
  const communs = new Set([...compte].filter(([, n]) => n > 1).map(([code]) => code));
  const rows = [
    ["Niveau", (f) => f.niveau],
    ["Type de diplôme", (f) => f.type || "Non renseigné"],
    ["Statut", statut, (f) => `${f.statut} ${f.fin} ${f.remplacee_par.map(([n]) => n)}`],
    ["Certificateurs", (f) => (f.certificateurs.length ? liste(f.certificateurs) : "Non renseigné"), (f) => f.certificateurs.join("\n")],
  ];
  const rangs = new Map(VOIES.map(([code, libelle], i) => [code, [libelle, i]])); // a fiche's routes are in the official order
  for (const code of ORDRE_VOIES) {
    if (rangs.has(code)) rows.push([rangs.get(code)[0], (f) => oui(f.voies[rangs.get(code)[1]])]);
  }
  rows.push(["Blocs de compétences", (f) => blocs(f, equivalents), (f) => f.blocs.map(([c, t]) => t).join("\n")]);
  rows.push(["Métiers (ROME)", (f) => metiers(f, communs), (f) => f.rome.map(([c]) => c).join(" ")]);
  rows.push(["Domaine (NSF)", (f) => (f.nsf.length ? liste(f.nsf.map(([code, libelle]) => `${libelle || code} (${code})`)) : "Non renseigné"),
    (f) => f.nsf.map(([c]) => c).join(" ")]);
  rows.push(["Lieux de préparation", lieux, (f) => JSON.stringify(f.lieux.regions)]);
  if (ville) {
    rows.push([`Le plus proche de ${ville.nom}`, (f) => plusProcheTexte(f, proches.get(f.numero), km)]);
  }
  rows.push(["À distance", (f) => (f.lieux.distance ? "Oui, en tout ou en partie" : "Non indiqué")]);
  rows.push(["Durée de la formation", heures]);
  rows.push(["Prochaine session", (f) => f.lieux.session || "Non renseignée"]);
  rows.push(["Derniers résultats", resultats]);
  rows.push(["Résultats des dernières promotions", graphique, (f) => f.graphique]);
  rows.push(["Liens", liens, (f) => f.numero]);
  return rows;
}

// -- drawing ------------------------------------------------------------------------------------

let identiquesMasquees = false;

function dessiner(fiches, proches, ville, km) {
  const equivalents = blocsEquivalents(fiches);
  table.replaceChildren();
  const legende = element("caption", null, `Comparaison de ${pluriel(fiches.length, "certification")}`);
  legende.id = "comparer-legende";
  const thead = element("thead");
  const entete = element("tr");
  const coin = element("td");
  entete.append(coin);
  for (const f of fiches) {
    const th = element("th");
    th.scope = "col";
    th.append(lien(f.url, f.intitule), element("span", "numero", f.numero));
    entete.append(th);
  }
  thead.append(entete);
  // the remove buttons in a row of their own, below: a column's header is its title alone
  const pied = element("tfoot");
  const ligneRetirer = element("tr");
  ligneRetirer.append(element("td"));
  fiches.forEach((f, rang) => {
    const td = element("td");
    const retirer = element("button", "comparer-retirer", "Retirer");
    retirer.type = "button";
    retirer.append(element("span", "visuellement-cache", ` « ${f.intitule} » de la comparaison`));
    retirer.addEventListener("click", async () => {
      ecrireAdresse(fiches.filter((x) => x !== f).map((x) => x.numero));
      retirerDuChoix(f.numero);
      await afficherTout();
      const restants = [...table.querySelectorAll(".comparer-retirer")];
      (restants[Math.min(rang, restants.length - 1)] || document.getElementById("contenu")).focus();
    });
    td.append(retirer);
    ligneRetirer.append(td);
  });
  pied.append(ligneRetirer);
  const tbody = element("tbody");
  for (const [titre, cellule, valeur] of lignes(fiches, equivalents, proches, ville, km)) {
    const tr = element("tr");
    const th = element("th", null, titre);
    th.scope = "row";
    tr.append(th);
    const valeurs = [];
    for (const f of fiches) {
      const td = element("td");
      const contenu = cellule(f);
      td.append(contenu);
      valeurs.push(valeur ? String(valeur(f)) : td.textContent);
      tr.append(td);
    }
    if (fiches.length > 1 && valeurs.every((v) => v === valeurs[0])) tr.classList.add("identique");
    tbody.append(tr);
  }
  if (equivalents.length) {
    // the blocs a student would not have to take again: one line each, across the columns
    const tr = element("tr", "comparer-equivalences");
    const th = element("th", null, "Blocs équivalents entre ces certifications");
    th.scope = "row";
    const td = element("td");
    td.colSpan = fiches.length;
    td.append(liste(equivalents.map(([a, mes, b, siens, par]) => {
      const declarees = par.map((n) => fiches.find((x) => x.numero === n)?.intitule || n);
      const texte = `${cote(a, mes)} équivaut à ${cote(b, siens)}`;
      return `${texte.charAt(0).toUpperCase()}${texte.slice(1)} (équivalence déclarée par ${declarees.join(" et ")}).`;
    })));
    tr.append(th, td);
    const apres = [...tbody.rows].find((r) => r.cells[0].textContent === "Blocs de compétences");
    apres.after(tr);
  }
  table.append(legende, thead, tbody, pied);
  appliquerIdentiques();
}

function appliquerIdentiques() {
  // a toggle: its name stays, aria-pressed says whether the rows are folded (they print all the same)
  boutonIdentiques.setAttribute("aria-pressed", identiquesMasquees ? "true" : "false");
  const identiques = table.querySelectorAll("tr.identique");
  for (const tr of identiques) tr.classList.toggle("pliee", identiquesMasquees);
  boutonIdentiques.disabled = !identiques.length;
  boutonIdentiques.textContent = identiques.length ? `Masquer les lignes identiques (${identiques.length})` : "Aucune ligne identique";
}

// -- the nearest place of each fiche, from its places' positions -----------------------------------

async function plusProches(fiches, ville) {
  const proches = new Map();
  await Promise.all(fiches.map(async (f) => {
    if (!f.lieux.positions) { proches.set(f.numero, null); return; }
    let positions = null;
    try {
      const reponse = await fetch(f.lieux.positions);
      positions = reponse.ok ? await reponse.json() : null;
    } catch { positions = null; }
    let meilleur = null;
    for (const [lat, lon, commune, departement] of positions || []) {
      const distance = distanceKm(ville.lat, ville.lon, lat, lon);
      if (!meilleur || distance < meilleur.distance) meilleur = { distance, commune, departement };
    }
    proches.set(f.numero, meilleur);
  }));
  return proches;
}

// -- the page --------------------------------------------------------------------------------------

async function afficherTout() {
  messages.replaceChildren();
  const parametres = new URLSearchParams(window.location.search);
  const { numeros, invalides } = demandes();
  if (parametres.get("f") === null && numeros.length) ecrireAdresse(numeros);
  if (invalides.length) {
    message(`${invalides.length > 1 ? "Ces codes ne sont pas des numéros de fiche" : "Ce code n’est pas un numéro de fiche"} : ${invalides.join(", ")}. Un numéro s’écrit RNCP ou RS suivi de chiffres, comme RNCP26224.`);
  }
  if (!champVille.value && parametres.get("pres")) champVille.value = parametres.get("pres");
  const km = Number(parametres.get("km"));
  if ([...choixKm.options].some((o) => Number(o.value) === km)) choixKm.value = String(km);
  if (!numeros.length && invalides.length) {
    boite.hidden = true;
    outils.hidden = true;
    formulaire.hidden = true;
    etat.textContent = "Aucune certification à comparer.";
    return;
  }
  if (!numeros.length) {
    boite.hidden = true;
    outils.hidden = true;
    formulaire.hidden = true;
    etat.textContent = "Aucune certification à comparer.";
    message("Sur chaque fiche et dans chaque liste, le bouton « Ajouter à la comparaison » met une certification de côté : revenez ici pour en voir jusqu’à quatre côte à côte. ",
      lien(racine.dataset.catalogue, "Parcourir le catalogue"), " · ", lien(racine.dataset.recherche, "Rechercher"));
    return;
  }
  if (numeros.length > MAXIMUM) {
    boite.hidden = true;
    outils.hidden = true;
    formulaire.hidden = true;
    etat.textContent = "";
    const premiers = new URL(window.location.href);
    const p = new URLSearchParams(premiers.search);
    p.set("f", numeros.slice(0, MAXIMUM).join(","));
    premiers.search = p.toString().replace(/%2C/g, ",");
    message(`Cette adresse demande ${numeros.length} certifications : on en compare ${MAXIMUM} au plus, pour que le tableau reste lisible. `,
      lien(premiers.href, `Comparer les ${MAXIMUM} premières (${numeros.slice(0, MAXIMUM).join(", ")})`));
    return;
  }
  etat.textContent = "Chargement de la comparaison…";
  const lues = await Promise.all(numeros.map(charger));
  const fiches = lues.filter(Boolean);
  const inconnus = numeros.filter((_, i) => !lues[i]);
  if (inconnus.length) {
    message(inconnus.length > 1
      ? `Ces numéros ne sont pas dans le catalogue : ${inconnus.join(", ")}. Vérifiez l’adresse, ou cherchez-les sur le site de France compétences.`
      : `Le numéro ${inconnus[0]} n’est pas dans le catalogue. Vérifiez l’adresse, ou cherchez-le sur le site de France compétences.`);
  }
  if (!fiches.length) {
    boite.hidden = true;
    outils.hidden = true;
    formulaire.hidden = true;
    etat.textContent = "Aucune certification à comparer.";
    return;
  }
  formulaire.hidden = false;
  formulaire.elements.f.value = fiches.map((f) => f.numero).join(",");
  let ville = null, proches = new Map();
  const pres = (parametres.get("pres") || "").trim();
  if (pres) {
    ville = await trouverVille(pres, racine.dataset.geo);
    if (ville) proches = await plusProches(fiches, ville);
    else message(`Aucune commune ne s’appelle « ${pres} » ni n’a ce code postal. Essayez un code postal (« 35000 ») ou le nom exact de la commune.`);
  }
  dessiner(fiches, proches, ville, Number(choixKm.value));
  boite.hidden = false;
  outils.hidden = fiches.length < 2;
  etat.textContent = `${pluriel(fiches.length, "certification")} comparée${fiches.length > 1 ? "s" : ""}${ville ? `, près de ${ville.nom}` : ""}.`;
}

boutonIdentiques.addEventListener("click", () => {
  identiquesMasquees = !identiquesMasquees;
  appliquerIdentiques();
});

formulaire.addEventListener("submit", (evenement) => {
  evenement.preventDefault();
  ecrireAdresse(demandes().numeros);
  afficherTout();
});

afficherTout();
