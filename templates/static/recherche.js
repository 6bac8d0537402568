// The search page: Pagefind's JavaScript API behind our own French, accessible interface,
// and search near a town on static files of the site (no server, no third party).
// Results and filters are built with DOM methods and textContent only: no text from the
// index is ever parsed as HTML, except Pagefind's excerpt, of which only <mark> is kept.
// The address holds the whole search (q, pres, km, distance, filtre), so it can be shared.
// Without a query and without a town nothing is searched: browsing by filters alone would
// download the whole index, so the page offers the static taxonomy pages for that. Filters
// are loaded only when the student opens them (on a wide screen, their groups stand beside the
// results and each loads when opened), and the places only for a town.
// A national catalogue (`recherche_inactives: a_la_demande`) indexes its inactive fiches apart:
// their parts are merged only when the visitor includes them (inactives=1), for a fiche's or a
// bloc's number, or when no active fiche answers (the page then says so).

import { json, normaliser, paquet, trouverVille, distanceKm, kilometres, element } from "./villes.js";
import { bouton as boutonComparer } from "./comparaison.js";

const racine = document.getElementById("recherche");
const champ = document.getElementById("recherche-q");
const champPres = document.getElementById("recherche-pres");
const choixKm = document.getElementById("recherche-km");
const caseDistance = document.getElementById("recherche-distance");
const caseInactives = document.getElementById("recherche-inactives"); // only with inactive fiches indexed apart
const villes = document.getElementById("recherche-villes");
const interfaceRecherche = document.getElementById("recherche-interface");
const etat = document.getElementById("recherche-etat");
const zoneFiltres = document.getElementById("recherche-filtres");
const boutonFiltres = document.getElementById("recherche-filtrer");
const liste = document.getElementById("recherche-resultats");
const plus = document.getElementById("recherche-plus");
const LIBELLES = JSON.parse(racine.dataset.filtres); // [[key, label], ...] in display order
const GEO = racine.dataset.geo; // the towns: geo/departements.json, geo/cp/…, geo/noms/…
const PROXIMITE = racine.dataset.bundle + "proximite/"; // the places, written with the index
const FICHES = racine.dataset.fiche; // a fiche's page: FICHES + number in lower case + "/"
const PAR_PAGE = 10;
const LARGE = window.matchMedia("(min-width: 64rem)"); // as style.css: the filters in a column of their own
const VALEURS_VISIBLES = 12; // a filter with more values gets a field to find them
const dossiers = (nom) => (racine.dataset[nom] || "").split(" ").filter(Boolean).map((d) => racine.dataset.bundle + d);
const PARTIES = dossiers("parties"); // the other parts of the active fiches' index (builder/search/index.py)
const PARTIES_INACTIVES = dossiers("inactives"); // the inactive fiches' index, merged on request
const SEPAREES = PARTIES_INACTIVES.length > 0;
const ACTIVE = "Active"; // the "statut" filter's value of an active fiche (builder/search/filtres.py)
const OPTIONS = { excerptLength: 24 };
// a fiche's or a bloc's number (RNCP34567, RS5678, RNCP34567BC02): inactive fiches are searched too
const NUMERO = /^(rncp|rs)\d+(bc\d+)?$/i;
const choisis = new Map(); // filter key -> Set of chosen values

let moteur = null; // Promise of Pagefind, its active parts merged
let inactivesFusionnees = null; // Promise: the inactive fiches' parts merged too
let avecInactives = false; // the current search includes inactive fiches
let resultats = []; // [{id, pagefind?, fiche?, proche?}] in display order
let affiches = 0;
let numeroRequete = 0;
let minuteur = null;
let filtresCharges = false; // Pagefind's filters, loaded when the panel is first opened
let panneauOuvert = false; // the filter panel has been opened once: its counts are kept up to date
let baseComptes = null; // near a town: the fiche numbers the filter counts are made on
let dernierProche = null; // near a town: the last search's places (their lots are fetched for the results shown)
const groupesOuverts = new Set(); // the filter groups the visitor opened

async function chargerMoteur(inactives = false) {
  // Pagefind, once, with the parts of the index in use: the index is in parts at national scale
  // (builder/search/index.py), the inactive fiches' own parts merged only when `inactives`
  if (!moteur) {
    moteur = (async () => {
      const pagefind = await import(racine.dataset.bundle + "pagefind.js");
      await pagefind.options({ ...OPTIONS, noWorker: typeof Worker === "undefined" });
      await Promise.all(PARTIES.map((dossier) => pagefind.mergeIndex(dossier, OPTIONS)));
      return pagefind;
    })();
    moteur.catch(() => { moteur = null; });
  }
  const pagefind = await moteur;
  if (inactivesFusionnees) await inactivesFusionnees.catch(() => null); // a merge under way: searches wait for it
  if (inactives && SEPAREES && !inactivesFusionnees) {
    inactivesFusionnees = Promise.all(PARTIES_INACTIVES.map((dossier) => pagefind.mergeIndex(dossier, OPTIONS)))
      .then(() => (filtresCharges ? pagefind.filters() : null)); // the filters in use: the new parts' too, for their counts
    inactivesFusionnees.catch(() => { inactivesFusionnees = null; });
  }
  if (inactives && inactivesFusionnees) await inactivesFusionnees;
  return pagefind;
}

function inclureInactives(texte) {
  // whether a search includes inactive fiches from the start: asked, or a fiche's or bloc's number
  return SEPAREES && (caseInactives.checked || NUMERO.test(texte.replace(/\s+/g, "")));
}

function pluriel(n, mot, pluralise = "s") {
  return `${n.toLocaleString("fr-FR")} ${mot}${n > 1 ? pluralise : ""}`;
}

// -- the address holds the whole search ---------------------------------------------------------

function lireAdresse() {
  const parametres = new URLSearchParams(window.location.search);
  champ.value = parametres.get("q") || "";
  champPres.value = parametres.get("pres") || "";
  const km = parametres.get("km");
  if (km && [...choixKm.options].some((o) => o.value === km)) choixKm.value = km;
  caseDistance.checked = parametres.get("distance") === "1";
  if (caseInactives) caseInactives.checked = parametres.get("inactives") === "1";
  for (const filtre of parametres.getAll("filtre")) {
    const [cle, ...reste] = filtre.split(":");
    if (!LIBELLES.some(([c]) => c === cle) || !reste.length) continue;
    if (!choisis.has(cle)) choisis.set(cle, new Set());
    choisis.get(cle).add(reste.join(":"));
  }
}

function ecrireAdresse() {
  const adresse = new URL(window.location.href);
  const parametres = new URLSearchParams();
  if (champ.value.trim()) parametres.set("q", champ.value.trim());
  if (champPres.value.trim()) {
    parametres.set("pres", champPres.value.trim());
    parametres.set("km", choixKm.value);
    if (caseDistance.checked) parametres.set("distance", "1");
  }
  if (caseInactives && caseInactives.checked) parametres.set("inactives", "1");
  for (const [cle, valeurs] of choisis) for (const valeur of valeurs) parametres.append("filtre", `${cle}:${valeur}`);
  adresse.search = parametres.toString();
  window.history.replaceState(null, "", adresse);
}

// -- near a town ----------------------------------------------------------------------------------

// The places' files (builder/proximite.py): every fiche with a place has a number, in the order
// of titles; a département's file groups its places by position, each with its fiches' numbers
// (as differences) and their bodies' numbers; what a result shows comes in lots, and the place it
// links to in a file per département, fetched for the results shown; each filter's values come
// in a file of their own, fetched for the filters in use.

async function chercherPres() {
  // -> {ville, km, proches: Map(number -> {numero, distance, commune, departement, organisme, ligne, rang}),
  //     departements, index} or {erreur}
  const ville = await trouverVille(champPres.value, GEO);
  if (!ville) return { erreur: `Aucune commune ne s’appelle « ${champPres.value.trim()} » ni n’a ce code postal. Essayez un code postal (« 35000 ») ou le nom exact de la commune.` };
  const km = Number(choixKm.value);
  const [departements, index] = await Promise.all([json(`${GEO}departements.json`), json(`${PROXIMITE}index.json`)]);
  const marge = km / 111; // degrees of latitude, at most; longitude is wider, but this box is for choosing files
  const large = marge / Math.cos((ville.lat * Math.PI) / 180);
  const enVue = Object.entries(departements || {}).filter(([code, [, , lat0, lon0, lat1, lon1]]) =>
    code.toLowerCase() in ((index && index.departements) || {}) &&
    ville.lat + marge >= lat0 && ville.lat - marge <= lat1 && ville.lon + large >= lon0 && ville.lon - large <= lon1)
    .map(([code]) => code.toLowerCase());
  const fichiersPlaces = await Promise.all(enVue.map((code) => json(`${PROXIMITE}${code}.json`)));
  const proches = new Map();
  fichiersPlaces.forEach((lignes, n) => ajouterPlaces(proches, lignes, enVue[n], ville, km));
  if (caseDistance.checked) {
    for (const numero of (await json(`${PROXIMITE}distance.json`)) || []) {
      if (!proches.has(numero)) proches.set(numero, { numero, distance: null });
    }
  }
  return { ville, km, proches, departements: departements || {}, index,
    lot: (index && index.lot) || 64, lotOrganismes: (index && index.lot_organismes) || 128 };
}

function ajouterPlaces(proches, lignes, departement, ville, km, accepte = null) {
  // the places of a département's file within km of the town: each fiche at its nearest place
  (lignes || []).forEach(([lat, lon, commune, ecarts, organismes], ligne) => {
    const distance = distanceKm(ville.lat, ville.lon, lat, lon);
    if (distance > km) return;
    let numero = 0;
    ecarts.forEach((ecart, i) => {
      numero += ecart;
      if (accepte && !accepte(numero)) return;
      const connu = proches.get(numero);
      if (!connu || distance < connu.distance) {
        proches.set(numero, { numero, distance, commune, departement, organisme: organismes[i], ligne, rang: i, lien: null });
      }
    });
  });
}

function auPlusPres(ville, boite) {
  // how near a département's places can be to the town, at most: its box's nearest point (near
  // enough on a sphere at this scale), less a margin for places given their own coordinates
  if (!boite) return Infinity;
  const [, , lat0, lon0, lat1, lon1] = boite;
  const lat = Math.min(Math.max(ville.lat, lat0), lat1);
  const lon = Math.min(Math.max(ville.lon, lon0), lon1);
  return Math.max(0, distanceKm(ville.lat, ville.lon, lat, lon) * 0.95 - 5);
}

async function plusLoin(proche, accepte) {
  // nothing within the radius: the nearest fiches anyway, by distance, however far. The
  // départements are read nearest first, a few at a time, until a page of results is sure (no
  // département left can hold a nearer place) or the next ones are well beyond the nearest found;
  // then only the fiches nearer than any unread département are shown: each at its nearest place,
  // in order (a fiche farther than an unread département may have a nearer place there, and
  // another fiche there may be nearer than it)
  const { ville, departements, index } = proche;
  const boites = new Map(Object.entries(departements).map(([code, boite]) => [code.toLowerCase(), boite]));
  const ordre = Object.keys((index && index.departements) || {})
    .map((code) => [code, auPlusPres(ville, boites.get(code))]).sort((a, b) => a[1] - b[1]);
  const trouves = new Map();
  let tries = [];
  let suivant = Infinity; // how near the places of the départements not read can be, at most
  for (let i = 0; i < ordre.length;) {
    const lot = ordre.slice(i, i + 4);
    i += lot.length;
    const fichiersPlaces = await Promise.all(lot.map(([code]) => json(`${PROXIMITE}${code}.json`)));
    fichiersPlaces.forEach((lignes, n) => ajouterPlaces(trouves, lignes, lot[n][0], ville, Infinity, accepte));
    tries = [...trouves.values()].sort((a, b) => a.distance - b.distance || a.numero - b.numero);
    suivant = i < ordre.length ? ordre[i][1] : Infinity;
    if (tries.length >= PAR_PAGE && tries[PAR_PAGE - 1].distance <= suivant) break;
    if (tries.length && suivant > Math.max(tries[0].distance * 1.25, tries[0].distance + 30)) break;
  }
  // only those surely in order: none nearer can be in a file not read
  return tries.filter((p) => p.distance <= suivant).slice(0, PAR_PAGE);
}

async function lesPlusProchesQuandMeme(proche, numero, filtres, candidats = null) {
  // no place within the radius: the nearest places anyway, by distance, before the results
  // prepared at a distance (which stay, after); with a text, of its fiches only (`candidats`:
  // fiche number -> Pagefind result). -> false if a newer search has started meanwhile
  if (surPlace(resultats) || (candidats && !candidats.size)) return true;
  const deja = new Set(resultats.map((r) => r.proche.numero));
  const loin = await plusLoin(proche, (n) => (!candidats || candidats.has(n)) && !deja.has(n) && correspond(n, filtres));
  if (numero !== numeroRequete) return false;
  proche.loin = loin.length > 0;
  baseComptes.push(...loin.map((p) => p.numero)); // the filters count what is shown
  const resultat = (p) => (candidats ? { id: candidats.get(p.numero).id, pagefind: candidats.get(p.numero), proche: p } : { proche: p });
  resultats = [...loin.map(resultat), ...resultats];
  return true;
}

function surPlace(trouves) {
  // whether some results are prepared on site within the radius (not only at a distance)
  return trouves.some((r) => r.proche && r.proche.distance !== null);
}

function versLieu(fiche, proche) {
  // a result near a town leads to its nearest place: its line on the fiche page, or on the page
  // of the fiche's places list (builder/pages/urls.py, lieux), with the town, so that the page
  // lists the places by distance (lieux-pres.js)
  if (!proche || proche.distance === null || proche.lien === null || proche.lien === undefined) return fiche;
  const [page, n] = Array.isArray(proche.lien) ? proche.lien : [0, proche.lien];
  const chemin = page ? `${fiche}lieux/${page > 1 ? `page/${page}/` : ""}` : fiche;
  return `${chemin}?pres=${encodeURIComponent(dernierProche.ville.nom)}#lieu-${n}`;
}

let zoneHomonymes = null; // under the search's state: the other communes of the town's name

function libelleVille(nom, departements) {
  // "Montreuil (28)" -> "Montreuil (Eure-et-Loir)"
  const parties = nom.match(/^(.*) \((\w+)\)$/);
  return parties && departements[parties[2]] ? `${parties[1]} (${departements[parties[2]][0]})` : nom;
}

function afficherHomonymes(proche) {
  // a name several communes share: the one taken (the most populous, unless the département is
  // typed), and the others as buttons that search near them instead
  if (!zoneHomonymes) {
    zoneHomonymes = element("p", "recherche-homonymes");
    zoneHomonymes.id = "recherche-homonymes";
    zoneHomonymes.tabIndex = -1;
    etat.after(zoneHomonymes);
  }
  const ville = proche && !proche.erreur ? proche.ville : null;
  zoneHomonymes.hidden = !ville || !ville.autres.length;
  zoneHomonymes.replaceChildren();
  if (zoneHomonymes.hidden) return;
  const departements = proche.departements;
  const montres = ville.autres.slice(0, 5);
  zoneHomonymes.append(`${libelleVille(ville.nom, departements)}${ville.choisie ? "" : ", la plus peuplée des communes de ce nom"}. Vouliez-vous dire : `);
  montres.forEach((autre, i) => {
    const bouton = element("button", "recherche-homonyme", libelleVille(autre, departements));
    bouton.type = "button";
    bouton.addEventListener("click", async () => {
      champPres.value = autre;
      await chercher();
      zoneHomonymes.focus(); // the button pressed is gone: focus stays here, where the choice was
    });
    zoneHomonymes.append(bouton, i < montres.length - 1 ? ", " : " ?");
  });
  if (ville.autres.length > montres.length) {
    zoneHomonymes.append(` Et ${ville.autres.length - montres.length} autres : précisez le département, par exemple « ${ville.autres[montres.length]} ».`);
  }
}

function resumePres(texte, proche, filtre, n) {
  // the search's state near a town; nothing within the radius: the nearest anyway, said so
  const ville = proche.ville.nom;
  const pour = texte ? ` pour « ${texte} »` : "";
  const avec = filtre ? " avec les filtres choisis" : "";
  const distance = caseDistance.checked ? " ou à distance" : "";
  if (proche.loin) {
    const premier = resultats[0].proche;
    const ou = premier.commune || (proche.departements[premier.departement.toUpperCase()] || [premier.departement])[0];
    const loin = resultats.filter((r) => r.proche.distance !== null).length;
    const aDistance = n - loin ? ` Puis ${pluriel(n - loin, "certification")} à distance.` : "";
    return `Aucun lieu à moins de ${proche.km} km de ${ville}${pour}${avec}. Le plus proche : ${ou}, à ${kilometres(premier.distance)}. ` +
      (loin > 1 ? `Voici les ${loin} certifications préparées le plus près, de la plus proche à la plus lointaine.` : "Voici la certification préparée le plus près.") + aDistance;
  }
  if (!n) {
    return `Aucun résultat${pour}${avec}, ni à moins de ${proche.km} km de ${ville}${distance}, ni plus loin. ` +
      (filtre ? "Retirez un filtre, ou parcourez le catalogue ci-dessous." : "Essayez un autre mot, ou parcourez le catalogue ci-dessous.");
  }
  return `${pluriel(n, texte ? "résultat" : "certification")}${texte ? pour : " préparée" + (n > 1 ? "s" : "")} à moins de ${proche.km} km de ${ville}${distance}${avec}.`;
}

function rang(proche) {
  // results near a town: by distance in whole kilometres as shown, then by title (the numbers' order)
  return proche.distance === null ? Infinity : proche.distance < 1 ? 0 : Math.round(proche.distance);
}

async function proposerVilles() {
  // suggestions while a town is typed: the names of its file that start alike
  const nom = normaliser(champPres.value);
  if (nom.length < 2 || /^\d/.test(nom)) return;
  const noms = (await json(`${GEO}noms/${paquet(nom).replace(/ /g, "_")}.json`)) || [];
  villes.replaceChildren(...noms.filter((c) => normaliser(c[0]).startsWith(nom)).slice(0, 12)
    .map((c) => { const option = element("option"); option.value = `${c[0]} (${c[1]})`; return option; }));
}

// -- searching ------------------------------------------------------------------------------------

function filtresActifs(sauf = null, pagefind = false) {
  // the chosen filters; without inactive fiches (indexed apart and not asked for), the status is
  // "active" (for Pagefind only once their parts are merged: before, it has active fiches only)
  // and a chosen status is set aside
  const sans = SEPAREES && !avecInactives;
  const filtres = {};
  for (const [cle, valeurs] of choisis) if (valeurs.size && cle !== sauf && !(sans && cle === "statut")) filtres[cle] = { any: [...valeurs] };
  if (sans && sauf !== "statut" && (!pagefind || inactivesFusionnees)) filtres.statut = { any: [ACTIVE] };
  return filtres;
}

function filtresChoisis() {
  // whether the visitor's own filters narrow the search (the status set aside without inactive fiches)
  return [...choisis].some(([cle, valeurs]) => valeurs.size && !(SEPAREES && !avecInactives && cle === "statut"));
}

const valeursChargees = new Map(); // filter key -> {v: values, f: each fiche's value numbers}

async function chargerValeurs(cles) {
  // the values of these filters for every fiche with a place
  await Promise.all(cles.map(async (cle) => {
    if (!valeursChargees.has(cle)) valeursChargees.set(cle, (await json(`${PROXIMITE}filtres/${cle}.json`)) || { v: [], f: [] });
  }));
}

function correspond(numero, filtres) {
  // a fiche with a place and the chosen filters (loaded): any value of a key, every key
  return Object.entries(filtres).every(([cle, { any }]) => {
    const table = valeursChargees.get(cle);
    return (table.f[numero] || []).some((v) => any.includes(table.v[v]));
  });
}

function comptesLocaux(numeros, filtres) {
  // the counts of each loaded filter's values among these fiches; in a key where values are
  // chosen, the counts are those without that key's choice ("or" within a key); a filter
  // not loaded yet has no counts (null): its group loads it when opened
  const comptes = {};
  for (const [cle] of LIBELLES) {
    const table = valeursChargees.get(cle);
    if (!table) {
      comptes[cle] = null;
      continue;
    }
    const autres = Object.fromEntries(Object.entries(filtres).filter(([c]) => c !== cle));
    const parValeur = {};
    for (const numero of numeros) {
      if (!correspond(numero, autres)) continue;
      for (const v of table.f[numero] || []) parValeur[table.v[v]] = (parValeur[table.v[v]] || 0) + 1;
    }
    comptes[cle] = parValeur;
  }
  return comptes;
}

// -- what a text query means ----------------------------------------------------------------------
// Pagefind matches a word it cannot find by the longest beginning of it that it can ("alternance"
// by "a": upstream issues #599 and #780), so a word found nowhere would bring pages matched by a
// stray letter. So a query is read first, as builder/search/synonymes.py reads words: common words
// and single characters are dropped, each synonym found in it becomes the searches of its group
// (a group tied to the fiches' data searches for its first word, hidden on the fiches that have
// the fact, and but for a level the words typed as plain text), and each word searched is checked against the words Pagefind matched for it. A word
// found nowhere gives no results, and the page says so with suggestions. The groups and the
// suggestions' words come from one small file, fetched with the first text query.

const zoneSuggestions = document.getElementById("recherche-suggestions");
let synonymes = null; // {groupes: [{mots, ecrits, cle?}], mots_vides, vocabulaire}
let analyse = null; // the last text query read: {creneaux, ecartes, absents}
const presence = new Map(); // word searched -> Promise<boolean>: found in the index as itself

async function chargerSynonymes() {
  if (!synonymes) synonymes = (await json(racine.dataset.synonymes)) || { groupes: [], mots_vides: [], vocabulaire: [] };
  return synonymes;
}

function normaliserRequete(texte) {
  // as synonymes.normaliser: "Contrat d’apprentissage" -> "contrat d apprentissage", "Bac + 3" -> "bac+3"
  return texte.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFKD").replace(/\p{M}/gu, "")
    .replace(/\bbac\s*\+?\s*(\d)\b/g, "bac+$1")
    .replace(/[^\p{L}\p{N}_+\-]+/gu, " ")
    .replace(/(^|[^\p{L}\p{N}_])[+\-]+/gu, (_, avant) => `${avant} `) // no lookbehind: Safari < 16.4 cannot parse it
    .replace(/[+\-]+(?![\p{L}\p{N}_])/gu, " ")
    .split(/\s+/).filter(Boolean).join(" ");
}

function motsUtiles(phrase, vides) {
  // as synonymes.mots_utiles: the words searched, as Pagefind indexes them ("bac+3" -> "bac3")
  return phrase.split(" ").filter((m) => m.length > 1 && !vides.has(m)).map((m) => m.replace(/[+\-]/g, ""));
}

function analyser(texte, donnees) {
  // -> {creneaux: [{groupe, phrase, alternatives}], ecartes: [words dropped]}: every slot must be
  // found (one of its alternatives), as Pagefind wants every word of a query
  const vides = new Set(donnees.mots_vides);
  let reste = ` ${normaliserRequete(texte)} `;
  const creneaux = [];
  const phrases = donnees.groupes.flatMap((g) => g.mots.map((m, i) => [m, g, i])).sort((a, b) => b[0].length - a[0].length);
  for (const [phrase, groupe, i] of phrases) {
    if (!reste.includes(` ${phrase} `)) continue;
    reste = reste.split(` ${phrase} `).join("  ");
    if (creneaux.some((c) => c.groupe === groupe)) continue;
    // a group tied to a fact: its key (hidden on the fiches that have it), and but for a level the
    // phrase as typed, as words of a text ("marketing en ligne" in a title, with no place at a distance)
    const formes = groupe.cle ? [groupe.cle, groupe.texte ? motsUtiles(phrase, vides).join(" ") : ""] : groupe.mots.map((m) => motsUtiles(m, vides).join(" "));
    const alternatives = [...new Set(formes.filter(Boolean))];
    creneaux.push({ groupe, phrase: groupe.ecrits[i], alternatives });
  }
  const mots = reste.split(" ").filter(Boolean);
  const ecartes = mots.filter((m) => m.length <= 1 || vides.has(m));
  const tapes = texte.split(/\s+/); // a word as typed, for the status line ("M1805", not "m1805")
  for (const m of motsUtiles(mots.join(" "), vides)) {
    const tape = tapes.find((t) => motsUtiles(normaliserRequete(t), vides).join(" ") === m);
    creneaux.push({ groupe: null, phrase: tape || m, alternatives: [m] });
  }
  return { creneaux, ecartes };
}

function prefixeCommun(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function estLeMot(cherche, trouve) {
  // whether a word Pagefind matched is the word searched or a form of it ("projets": "projet",
  // "chefs": "chef", "évaluation": "évaluer"), not a stray beginning of it ("a" for
  // "alternance", "ar" for "ark"); a code must be whole ("M1805" is not "M1802")
  const n = normaliserRequete(trouve);
  const formes = [n.replace(/[^\p{L}\p{N}]/gu, ""), ...n.split(/[^\p{L}\p{N}]+/u)].filter(Boolean);
  return formes.some((f) => {
    if (f.startsWith(cherche)) return true;
    if (/\d/.test(cherche)) return false;
    const commun = prefixeCommun(f, cherche);
    if (commun === f.length && f.length >= 3 && commun >= cherche.length - 2) return true; // without its ending
    return cherche.length > 4 && commun >= Math.max(5, cherche.length - 6); // a stem of it
  });
}

function present(pagefind, mot, cle = mot) {
  // whether the index has this word (checked on the first pages Pagefind gives for it); `cle`
  // keeps the answer apart once the inactive fiches' parts are merged (checked again then)
  if (!presence.has(cle)) {
    presence.set(cle, (async () => {
      const reponse = await pagefind.search(mot);
      for (const r of reponse.results.slice(0, 3)) {
        const donnee = await r.data();
        const mots = (donnee.content || "").split(/[\r\n\s]+/g); // as Pagefind numbers the words
        if ((donnee.locations || []).some((l) => mots[l] && estLeMot(mot, mots[l]))) return true;
      }
      return false;
    })());
    presence.get(cle).catch(() => presence.delete(cle)); // a failed look-up is tried again next time
  }
  return presence.get(cle);
}

// A code (RNCP30012, RS1234, RNCP30012BC01, M1805) that a part of the index lacks is matched
// there by its letters only ("rncp": every fiche), with scores a hundred times lower than the
// page that has it. Those are dropped when a page has it: with the index in parts, as with one.
const CODE = /^[a-z]+[0-9]+[a-z0-9]*$/i;

async function rechercherUne(pagefind, texte, options) {
  const reponse = await pagefind.search(texte, options);
  const mots = texte.split(/\s+/).filter(Boolean);
  if (mots.length && mots.every((mot) => CODE.test(mot)) && reponse.results.length > 1) {
    const meilleur = reponse.results[0].score;
    reponse.results = reponse.results.filter((r) => r.score >= meilleur / 20);
  }
  return reponse;
}

async function rechercher(pagefind, texte, options = {}) {
  const donnees = await chargerSynonymes();
  const { creneaux, ecartes } = analyser(texte, donnees);
  analyse = { creneaux, ecartes, absents: [] };
  const rien = { results: [], unfilteredResultCount: 0, filters: {}, totalFilters: {} };
  if (!creneaux.length) return rien;
  const mots = [...new Set(creneaux.flatMap((c) => c.alternatives.flatMap((a) => a.split(" "))))];
  const presents = new Map(); // one search at a time: Pagefind's concurrent searches can miss words
  for (const m of mots) presents.set(m, await present(pagefind, m, (inactivesFusionnees ? "+" : "") + m));
  for (const c of creneaux) c.alternatives = c.alternatives.filter((a) => a.split(" ").every((m) => presents.get(m)));
  analyse.absents = creneaux.filter((c) => !c.alternatives.length).map((c) => c.phrase);
  if (analyse.absents.length) return rien;
  let requetes = [[]]; // every choice of one alternative per slot (a dozen at most)
  for (const c of creneaux) requetes = requetes.flatMap((r) => c.alternatives.map((a) => [...r, a])).slice(0, 12);
  const reponses = [];
  for (const r of requetes) reponses.push(await rechercherUne(pagefind, r.join(" "), options));
  if (reponses.length === 1) return reponses[0];
  // several searches: their pages once each, with the best score; a filter value's count is its
  // largest in one search (exact when one search finds them all)
  const parId = new Map();
  for (const r of reponses.flatMap((x) => x.results)) if (!parId.has(r.id) || parId.get(r.id).score < r.score) parId.set(r.id, r);
  const plusGrands = (cle) => {
    const fusion = {};
    for (const x of reponses) for (const [f, valeurs] of Object.entries(x[cle] || {})) {
      fusion[f] = fusion[f] || {};
      for (const [v, n] of Object.entries(valeurs)) fusion[f][v] = Math.max(fusion[f][v] || 0, n);
    }
    return fusion;
  };
  return { results: [...parId.values()].sort((a, b) => b.score - a.score), unfilteredResultCount: parId.size,
           filters: plusGrands("filters"), totalFilters: plusGrands("totalFilters") };
}

function lectureRequete() {
  // how the last text query was read, for the status line: the synonyms searched with it
  if (!analyse) return "";
  const autres = analyse.creneaux.filter((c) => c.groupe).map((c) => c.groupe.ecrits.filter((e) => e !== c.phrase).slice(0, 3));
  return autres.length ? ` (cherché aussi : ${autres.flat().join(", ")})` : "";
}

function sansResultat(texte) {
  // why a text query found nothing, in words: a word on no page, or a fact of no fiche
  if (analyse && analyse.absents.length) {
    const absents = analyse.creneaux.filter((c) => !c.alternatives.length);
    const c = absents.find((x) => !(x.groupe && x.groupe.cle)) || absents[0];
    if (!(c.groupe && c.groupe.cle)) return `Aucun résultat pour « ${texte} » : « ${c.phrase} » ne figure dans aucune certification du catalogue.`;
    const autres = c.groupe.ecrits.filter((e) => e !== c.phrase).slice(0, 3).join(", ");
    return `Aucun résultat pour « ${texte} » : aucune certification du catalogue ne correspond à « ${c.phrase} » (${autres}).`;
  }
  if (analyse && !analyse.creneaux.length) return `Aucun résultat pour « ${texte} » : les mots d’une lettre et les mots courants (« de », « la », « en »…) ne sont pas cherchés. Tapez un métier, une compétence ou un code.`;
  return null;
}

function distance(a, b) {
  // edits from one word to the other (Levenshtein)
  let ligne = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const suivante = [i];
    for (let j = 1; j <= b.length; j++) suivante[j] = Math.min(ligne[j] + 1, suivante[j - 1] + 1, ligne[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    ligne = suivante;
  }
  return ligne[b.length];
}

function afficherSuggestions(texte, n) {
  // when a text query finds nothing: close words of the catalogue, else the examples of the page;
  // when it finds something through synonyms, these are said in lighter type
  const note = texte ? lectureRequete() : "";
  if (n > 0 && note && etat.textContent.includes(note)) {
    const [avant, ...apres] = etat.textContent.split(note);
    etat.replaceChildren(avant, element("span", "precision", note), apres.join(note));
  }
  zoneSuggestions.replaceChildren();
  zoneSuggestions.hidden = n > 0 || !texte || !analyse;
  if (zoneSuggestions.hidden) return;
  const mots = synonymes.vocabulaire || []; // the catalogue's own words: each finds something
  const proches = [];
  for (const absent of analyse.absents.map(normaliserRequete)) {
    const ecart = Math.max(1, Math.floor(absent.length / 4));
    const trouves = mots.map((m, rangMot) => [m, distance(absent, normaliserRequete(m)), rangMot])
      .filter(([m, d]) => d <= ecart || prefixeCommun(absent, normaliserRequete(m)) >= Math.min(5, absent.length))
      .sort((a, b) => a[1] - b[1] || a[2] - b[2]);
    for (const [m] of trouves) if (!proches.includes(m) && normaliserRequete(m) !== absent) proches.push(m);
  }
  const exemples = [...document.querySelectorAll(".recherche-exemple")].map((e) => e.textContent);
  const choix = (proches.length ? proches : exemples).slice(0, 4);
  zoneSuggestions.append(proches.length ? "Vouliez-vous dire : " : "Essayez par exemple : ");
  choix.forEach((mot, i) => {
    const adresse = new URL(window.location.href);
    adresse.searchParams.set("q", mot);
    const lien = element("a", null, mot);
    lien.href = adresse.pathname + adresse.search;
    zoneSuggestions.append(i ? (i === choix.length - 1 ? " ou " : ", ") : "", "« ", lien, " »");
  });
  zoneSuggestions.append(". Vous pouvez aussi parcourir le catalogue par niveau, domaine ou région ci-dessous.");
}

const MOTS_CACHES = "pour-la-recherche"; // the id of the heading of a fiche's hidden synonyms (macros.html)

function extraitCorrespondant(donnee) {
  // the passage that matched: of the page's sections with a matched word, a named one (the top of
  // the page repeats the card: title, status, number, level) with the most matched words; never
  // the hidden synonyms: when only they matched, what the facts they stand for say of the fiche
  const marques = (html) => ((html || "").match(/<mark>/g) || []).length;
  const sections = (donnee.sub_results || []).filter((s) => marques(s.excerpt) > 0);
  const caches = sections.filter((s) => s.anchor && s.anchor.id === MOTS_CACHES);
  const lisibles = sections.filter((s) => !caches.includes(s));
  const nommees = lisibles.filter((s) => s.anchor && s.anchor.id);
  const meilleure = (nommees.length ? nommees : lisibles).sort((a, b) => marques(b.excerpt) - marques(a.excerpt))[0];
  if (meilleure) return meilleure.excerpt;
  if (caches.length) return lignesFaits(caches[0].excerpt);
  return donnee.excerpt;
}

function lignesFaits(extrait) {
  // the facts whose key is marked in the hidden synonyms' excerpt, each as a line of its group
  // ("Apprentissage ou contrat de professionnalisation possible."), as HTML for extraitSur
  if (!synonymes) return "";
  const vides = new Set(synonymes.mots_vides);
  const marques = [...extrait.matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((m) => motsUtiles(normaliserRequete(m[1]), vides));
  const lignes = synonymes.groupes.filter((g) => g.cle && g.ligne && marques.includes(g.cle)).map((g) => g.ligne);
  return [...new Set(lignes)].join(" ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

async function comptesPagefind(pagefind, texte, filtres, reponse) {
  // counts for the filter panel: the narrowed ones, except in a key where values are chosen,
  // which shows what each value would add (the counts without that key's choice)
  const comptes = { ...(Object.keys(filtres).length ? reponse.filters : reponse.totalFilters) };
  for (const cle of Object.keys(filtres)) {
    if (cle === "statut" && SEPAREES && !avecInactives) continue; // not shown: active fiches only
    const autres = filtresActifs(cle, true);
    const sans = await rechercher(pagefind, texte, Object.keys(autres).length ? { filters: autres } : {});
    comptes[cle] = (Object.keys(autres).length ? sans.filters : sans.totalFilters)[cle] || {};
  }
  return comptes;
}

async function chercher() {
  const texte = champ.value.trim();
  const pres = champPres.value.trim();
  const numero = ++numeroRequete;
  ecrireAdresse();
  if (!texte && !pres) {
    resultats = [];
    liste.replaceChildren();
    zoneFiltres.hidden = true;
    boutonFiltres.disabled = true;
    plus.hidden = true;
    afficherHomonymes(null);
    zoneSuggestions.hidden = true;
    etat.textContent = "Tapez un métier, une compétence ou un code (RNCP, ROME), ou une ville, pour lancer la recherche.";
    return;
  }
  etat.textContent = "Recherche en cours…";
  liste.setAttribute("aria-busy", "true");
  try {
    avecInactives = inclureInactives(texte);
    const proche = pres ? await chercherPres() : null;
    if (numero !== numeroRequete) return; // a newer search has started
    if (proche && proche.erreur) {
      resultats = [];
      liste.replaceChildren();
      boutonFiltres.disabled = true;
      plus.hidden = true;
      etat.textContent = proche.erreur;
      afficherHomonymes(null);
      return;
    }
    let comptes = await trouver(texte, proche, numero);
    if (comptes === undefined) return;
    // no active fiche answers: the inactive ones too, said so
    const elargie = SEPAREES && !avecInactives && !resultats.length && !(texte && analyse && !analyse.creneaux.length);
    if (elargie) {
      if (numero !== numeroRequete) return;
      avecInactives = true;
      comptes = await trouver(texte, proche, numero);
      if (comptes === undefined) return;
    }
    dernierProche = proche;
    if (numero !== numeroRequete) return;
    affiches = 0;
    liste.replaceChildren();
    afficherHomonymes(proche); // before the results come: nothing below it moves
    boutonFiltres.disabled = !resultats.length && !filtresChoisis();
    if (comptes) afficherFiltres(comptes);
    await afficherSuite(numero);
    etat.textContent = (elargie && resultats.length ? "Aucune certification encore enregistrée ne correspond : voici celles qui ne le sont plus. " : "") +
      resume(texte, proche, filtresChoisis());
    afficherSuggestions(texte, resultats.length);
    // a wide screen has room for the filters beside the results: no button to press
    if (LARGE.matches && !boutonFiltres.disabled && boutonFiltres.getAttribute("aria-expanded") !== "true") ouvrirColonne();
  } catch (erreur) {
    etat.textContent = "La recherche n’a pas pu être chargée. Parcourez le catalogue ci-dessous.";
    throw erreur;
  } finally {
    if (numero === numeroRequete) liste.setAttribute("aria-busy", "false");
  }
}

async function trouver(texte, proche, numero) {
  // the results (into `resultats`) of a text, a town or both, with or without inactive fiches
  // (`avecInactives`) -> the filter panel's counts (null: not shown yet), or undefined if a
  // newer search has started meanwhile
  const filtres = filtresActifs();
  if (proche) await chargerValeurs(Object.keys(filtres));
  if (numero !== numeroRequete) return undefined;
  let comptes = null;
  baseComptes = null;
  if (texte && !proche) {
    const pagefind = await chargerMoteur(avecInactives);
    const filtresPagefind = filtresActifs(null, true);
    const reponse = await rechercher(pagefind, texte, Object.keys(filtresPagefind).length ? { filters: filtresPagefind } : {});
    if (numero !== numeroRequete) return undefined;
    resultats = reponse.results.map((r) => ({ id: r.id, pagefind: r, proche: null }));
    if (filtresCharges) comptes = await comptesPagefind(pagefind, texte, filtresPagefind, reponse);
    if (numero !== numeroRequete) return undefined;
  } else if (texte) {
    // the text's results (without filters: they are applied here, on the places' values) near the town
    const [pagefind, ids] = await Promise.all([chargerMoteur(avecInactives), json(`${PROXIMITE}ids.json`)]);
    const reponse = await rechercher(pagefind, texte);
    if (numero !== numeroRequete) return undefined;
    const parId = new Map((ids || []).map((id, n) => [id, n]));
    const trouves = reponse.results.filter((r) => parId.has(r.id) && proche.proches.has(parId.get(r.id)));
    baseComptes = trouves.map((r) => parId.get(r.id));
    resultats = trouves.filter((r) => correspond(parId.get(r.id), filtres))
      .map((r) => ({ id: r.id, pagefind: r, proche: proche.proches.get(parId.get(r.id)) }));
    const candidats = new Map(reponse.results.filter((r) => parId.has(r.id)).map((r) => [parId.get(r.id), r]));
    if (!(await lesPlusProchesQuandMeme(proche, numero, filtres, candidats))) return undefined;
  } else {
    baseComptes = [...proche.proches.keys()];
    const retenus = [...proche.proches.values()].filter((p) => correspond(p.numero, filtres));
    retenus.sort((a, b) => rang(a) - rang(b) || a.numero - b.numero);
    resultats = retenus.map((p) => ({ proche: p }));
    if (!(await lesPlusProchesQuandMeme(proche, numero, filtres))) return undefined;
  }
  if (baseComptes && (panneauOuvert || filtresChoisis())) comptes = comptesLocaux(baseComptes, filtres);
  return comptes;
}

function resume(texte, proche, filtre) {
  const n = resultats.length;
  if (proche) return resumePres(texte, proche, filtre, n);
  const avec = filtre ? " avec les filtres choisis" : "";
  if (!n) return sansResultat(texte) || `Aucun résultat pour « ${texte} »${avec}. Essayez un autre mot, ou parcourez le catalogue ci-dessous.`;
  return `${pluriel(n, "résultat")} pour « ${texte} »${lectureRequete()}${avec}.`;
}

async function afficherSuite(numero) {
  const lot = resultats.slice(affiches, affiches + PAR_PAGE);
  const [donnees, fiches, organismes] = await Promise.all([
    Promise.all(lot.map((r) => (r.pagefind ? r.pagefind.data() : null))),
    Promise.all(lot.map((r) => (r.pagefind ? null : ficheProche(r.proche.numero)))),
    Promise.all(lot.map((r) => (r.proche && r.proche.distance !== null ? organismeProche(r.proche) : null))),
    Promise.all(lot.map((r) => (r.proche && r.proche.distance !== null ? lienProche(r.proche) : null))),
  ]);
  if (numero !== numeroRequete) return;
  const code = champ.value.replace(/\s/g, "").toLowerCase();
  lot.forEach((resultat, i) => {
    const donnee = donnees[i];
    if (!donnee) {
      liste.append(carteProche(resultat.proche, fiches[i], organismes[i]));
      return;
    }
    const blocs = (donnee.sub_results || []).filter((s) => s.anchor && BLOC.test(s.anchor.id || ""));
    const exact = blocs.find((s) => s.anchor.id === code);
    if (exact) liste.append(carteBloc(donnee, exact)); // a bloc's exact code: that bloc first
    liste.append(carteFiche(donnee, blocs.filter((s) => s !== exact), resultat.proche, organismes[i]));
  });
  affiches += lot.length;
  plus.hidden = affiches >= resultats.length;
}

async function ficheProche(numero) {
  // [Pagefind id, number, title, level, status] from its lot
  const lot = await json(`${PROXIMITE}fiches/${Math.floor(numero / dernierProche.lot)}.json`);
  return lot ? lot[numero % dernierProche.lot] : null;
}

async function lienProche(proche) {
  // the place a result leads to, from the département's file of links (fetched for the results shown)
  const liens = await json(`${PROXIMITE}lieux/${proche.departement}.json`);
  proche.lien = liens && liens[proche.ligne] ? liens[proche.ligne][proche.rang] : null;
}

async function organismeProche(proche) {
  const n = proche.organisme;
  const lot = await json(`${PROXIMITE}organismes/${proche.departement}-${Math.floor(n / dernierProche.lotOrganismes)}.json`);
  return lot ? lot[n % dernierProche.lotOrganismes] : "";
}

const BLOC = /^(rncp|rs)[0-9]+bc[0-9]+$/; // ids of the bloc headings of a fiche page

function lienBloc(donnee, sous) {
  const fiche = new URL(donnee.url, window.location.href);
  if (donnee.meta && donnee.meta.resume) return `${fiche.pathname}#${sous.anchor.id}`; // a summary page: the bloc is whole there
  return new URL(racine.dataset.bloc.replace("{code}", sous.anchor.id), fiche).pathname;
}

function titreBloc(sous) {
  return (sous.title || "").replace(/^\s*\S+\s*/, ""); // "RNCP26224BC03 Gérer…" -> "Gérer…"
}

function carte(url, titre, details, extrait) {
  const item = element("li", "resultat");
  const entete = element("h2", "resultat-titre");
  const lien = element("a", null, titre);
  lien.href = url;
  entete.append(lien);
  const ligne = element("p", "resultat-meta");
  for (const [texte, classe] of details) if (texte) ligne.append(element("span", classe, texte));
  item.append(entete, ligne);
  if (extrait !== null) {
    const resume = element("p", "resultat-extrait");
    resume.append(...extraitSur(extrait || ""));
    item.append(resume);
  }
  return item;
}

function statut(valeur) {
  return [valeur, `statut statut-${(valeur || "").toLowerCase()}`];
}

function lieuProche(proche, organisme) {
  if (!proche) return null;
  if (proche.distance === null) return element("p", "resultat-lieu", "Se prépare à distance.");
  const ou = [organisme, proche.commune].filter(Boolean).join(", ");
  return element("p", "resultat-lieu", `Au plus près : ${ou} (${kilometres(proche.distance)}).`);
}

function carteProche(proche, fiche, organisme) {
  const [, numero, titre, niveau, etat] = fiche || ["", "", "Certification", "", ""];
  const item = carte(versLieu(`${FICHES}${numero.toLowerCase()}/`, proche), titre, [["Fiche"], [numero, "numero"], [niveau], statut(etat)], null);
  item.append(lieuProche(proche, organisme));
  if (numero) item.append(boutonComparer(numero, titre));
  return item;
}

function carteFiche(donnee, blocs, proche, organisme) {
  const meta = donnee.meta || {};
  const item = carte(versLieu(donnee.url, proche), meta.title || donnee.url, [["Fiche"], [meta.numero, "numero"], [filtre(donnee, "niveau")], statut(filtre(donnee, "statut"))], extraitCorrespondant(donnee));
  if (proche) item.append(lieuProche(proche, organisme));
  if (meta.remplacee_par) item.append(remplacee(meta.remplacee_par));
  if (blocs.length) {
    item.append(element("p", "resultat-fiche", blocs.length > 1 ? "Blocs de compétences correspondants :" : "Bloc de compétences correspondant :"));
    const sousListe = element("ul", "resultat-blocs");
    for (const sous of blocs.slice(0, 3)) {
      const ligne = element("li");
      const lien = element("a", null, titreBloc(sous));
      lien.href = lienBloc(donnee, sous);
      ligne.append(element("span", "numero", `${sous.anchor.id.toUpperCase()} `), lien);
      sousListe.append(ligne);
    }
    item.append(sousListe);
  }
  if (meta.numero) item.append(boutonComparer(meta.numero, meta.title || meta.numero));
  return item;
}

function filtre(donnee, cle) {
  // a result's value of a filter (its level, its status: builder/search/filtres.py)
  return ((donnee.filters || {})[cle] || [])[0];
}

function remplacee(valeur) {
  // an inactive fiche's result leads to the active certification that replaces it ("RNCP34567 Title")
  const [numero, ...titre] = valeur.split(" ");
  const lien = element("a", null, `${titre.join(" ") || numero} (${numero})`);
  lien.href = `${FICHES}${numero.toLowerCase()}/`;
  const ligne = element("p", "resultat-remplacee", "Remplacée par ");
  ligne.append(lien, " : inscriptions ouvertes.");
  return ligne;
}

function carteBloc(donnee, sous) {
  const meta = donnee.meta || {};
  const item = carte(lienBloc(donnee, sous), titreBloc(sous),
    [["Bloc de compétences"], [sous.anchor.id.toUpperCase(), "numero"], [filtre(donnee, "niveau")], statut(filtre(donnee, "statut"))], sous.excerpt);
  item.insertBefore(element("p", "resultat-fiche", `Bloc de la certification « ${meta.title} » (${meta.numero})`), item.lastChild);
  return item;
}

function extraitSur(html) {
  // Pagefind marks matched words with <mark>; everything else is kept as plain text.
  const modele = document.createElement("template");
  modele.innerHTML = html; // inert: nothing in a template runs or loads
  return [...modele.content.childNodes].map((noeud) =>
    noeud.nodeName === "MARK" ? element("mark", null, noeud.textContent) : document.createTextNode(noeud.textContent));
}

// -- filters --------------------------------------------------------------------------------------

function afficherFiltres(comptes) {
  const focus = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.filtre : null;
  const cherches = new Map([...zoneFiltres.querySelectorAll("input[data-valeurs]")].map((c) => [c.dataset.valeurs, c.value]));
  zoneFiltres.replaceChildren();
  let numeroCase = 0;
  const resumeFocus = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.groupe : null;
  for (const [cle, libelle] of LIBELLES) {
    if (cle === "statut" && SEPAREES && !avecInactives) continue; // active fiches only: one status
    const dejaChoisis = choisis.get(cle) || new Set();
    const groupe = element("details", "filtre");
    const resume = element("summary", null, libelle);
    resume.dataset.groupe = cle;
    if (dejaChoisis.size) resume.append(element("span", "filtre-compte", ` (${dejaChoisis.size} choisi${dejaChoisis.size > 1 ? "s" : ""})`));
    groupe.addEventListener("toggle", () => {
      if (groupe.open) groupesOuverts.add(cle);
      else groupesOuverts.delete(cle);
    });
    if (comptes[cle] === null) {
      // near a town (or beside a text search's results on a wide screen), a filter's values are
      // fetched when its group is first opened
      groupe.append(resume, element("p", "filtre-etat precision", "Chargement des valeurs…"));
      groupe.addEventListener("toggle", async () => {
        if (!groupe.open) return;
        if (baseComptes) {
          await chargerValeurs([cle]);
          afficherFiltres(comptesLocaux(baseComptes, filtresActifs()));
        } else if (!filtresCharges) { // a text search on a wide screen: Pagefind's filters, now
          await (await chargerMoteur()).filters();
          filtresCharges = true;
          await chercher();
        }
      }, { once: true });
      zoneFiltres.append(groupe);
      continue;
    }
    const valeurs = Object.entries(comptes[cle] || {}).filter(([valeur, n]) => n > 0 || dejaChoisis.has(valeur));
    for (const valeur of dejaChoisis) if (!valeurs.some(([v]) => v === valeur)) valeurs.push([valeur, 0]);
    if (!valeurs.length) continue;
    valeurs.sort(([a], [b]) => a.localeCompare(b, "fr", { numeric: true }));
    groupe.open = dejaChoisis.size > 0 || groupesOuverts.has(cle);
    const cadre = element("fieldset");
    cadre.append(element("legend", "visuellement-cache", libelle));
    let champValeurs = null;
    if (valeurs.length > VALEURS_VISIBLES) {
      // ROME codes, certifiers, départements: thousands at national scale; find them by typing
      const id = `filtre-cherche-${cle}`;
      const etiquette = element("label", "filtre-cherche-libelle", `Trouver ${libelle.toLowerCase()} parmi ${valeurs.length.toLocaleString("fr-FR")}`);
      etiquette.htmlFor = id;
      champValeurs = element("input", "filtre-cherche");
      champValeurs.type = "search";
      champValeurs.id = id;
      champValeurs.dataset.valeurs = cle;
      champValeurs.autocomplete = "off";
      champValeurs.value = cherches.get(cle) || "";
      cadre.append(etiquette, champValeurs);
    }
    const lignes = [];
    for (const [valeur, n] of valeurs) {
      const id = `filtre-${++numeroCase}`;
      const caseACocher = element("input");
      caseACocher.type = "checkbox";
      caseACocher.id = id;
      caseACocher.checked = dejaChoisis.has(valeur);
      caseACocher.dataset.filtre = `${cle}\u0000${valeur}`;
      caseACocher.addEventListener("change", () => {
        const ensemble = choisis.get(cle) || new Set();
        if (caseACocher.checked) ensemble.add(valeur);
        else ensemble.delete(valeur);
        choisis.set(cle, ensemble);
        chercher();
      });
      const etiquette = element("label", null, ` ${valeur} `);
      etiquette.htmlFor = id;
      etiquette.append(element("span", "filtre-nombre", `(${n.toLocaleString("fr-FR")})`));
      const ligne = element("div", "filtre-valeur");
      ligne.append(caseACocher, etiquette);
      lignes.push([ligne, normaliser(valeur), dejaChoisis.has(valeur), n]);
      cadre.append(ligne);
    }
    if (champValeurs) {
      const etatValeurs = element("p", "filtre-etat precision");
      etatValeurs.setAttribute("role", "status");
      cadre.append(etatValeurs);
      const trier = () => {
        // chosen values always show; then those matching what is typed, or the most frequent
        const cherche = normaliser(champValeurs.value);
        const visibles = lignes.filter(([, texte, choisi]) => choisi || (cherche ? texte.includes(cherche) : false));
        const plusFrequents = cherche ? [] : lignes.filter(([, , choisi]) => !choisi).sort((a, b) => b[3] - a[3]).slice(0, VALEURS_VISIBLES);
        const montrees = new Set([...visibles, ...plusFrequents]);
        for (const entree of lignes) entree[0].hidden = !montrees.has(entree);
        etatValeurs.textContent = cherche
          ? `${pluriel(visibles.length, "valeur")} pour « ${champValeurs.value.trim()} ».`
          : `Les ${Math.min(VALEURS_VISIBLES, lignes.length)} plus fréquentes ; tapez pour trouver les autres.`;
      };
      champValeurs.addEventListener("input", trier);
      trier();
    }
    groupe.append(resume, cadre);
    zoneFiltres.append(groupe);
  }
  zoneFiltres.hidden = boutonFiltres.getAttribute("aria-expanded") !== "true";
  if (focus) {
    const meme = [...zoneFiltres.querySelectorAll("input")].find((c) => c.dataset.filtre === focus);
    if (meme) meme.focus();
  } else if (resumeFocus) {
    const meme = [...zoneFiltres.querySelectorAll("summary")].find((r) => r.dataset.groupe === resumeFocus);
    if (meme) meme.focus();
  }
}

// -- events ---------------------------------------------------------------------------------------

document.getElementById("recherche-formulaire").addEventListener("submit", (evenement) => {
  evenement.preventDefault();
  clearTimeout(minuteur);
  chercher();
});
champ.addEventListener("input", () => {
  clearTimeout(minuteur);
  minuteur = setTimeout(chercher, 300);
});
champPres.addEventListener("input", () => {
  proposerVilles();
  clearTimeout(minuteur);
  minuteur = setTimeout(chercher, 500);
});
choixKm.addEventListener("change", chercher);
caseDistance.addEventListener("change", chercher);
if (caseInactives) caseInactives.addEventListener("change", chercher);
boutonFiltres.addEventListener("click", () => basculerFiltres(boutonFiltres.getAttribute("aria-expanded") !== "true"));

function ouvrirColonne() {
  // the filters' groups beside the results, each loading its values when opened: the first
  // query stays as light as on a phone
  boutonFiltres.setAttribute("aria-expanded", "true");
  panneauOuvert = true;
  if (baseComptes) afficherFiltres(comptesLocaux(baseComptes, filtresActifs()));
  else if (!filtresCharges) afficherFiltres(Object.fromEntries(LIBELLES.map(([cle]) => [cle, null])));
  zoneFiltres.hidden = false;
}

async function basculerFiltres(ouvrir) {
  boutonFiltres.setAttribute("aria-expanded", String(ouvrir));
  zoneFiltres.hidden = !ouvrir;
  if (!ouvrir) return;
  panneauOuvert = true;
  if (baseComptes) {
    // near a town: the groups, each loading its values when opened
    afficherFiltres(comptesLocaux(baseComptes, filtresActifs()));
  } else if (!filtresCharges) {
    etat.textContent = "Chargement des filtres…";
    await (await chargerMoteur()).filters(); // the counts, which searches then report
    filtresCharges = true;
    await chercher();
  }
}
plus.addEventListener("click", () => {
  const premierNouveau = liste.children.length;
  afficherSuite(numeroRequete).then(() => {
    const lien = liste.children[premierNouveau]?.querySelector("a");
    if (lien) lien.focus();
  });
});

interfaceRecherche.classList.remove("en-attente");
lireAdresse();
chercher();
