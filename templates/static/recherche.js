// The search page: Pagefind's JavaScript API behind our own French, accessible interface,
// and search near a town on static files of the site (no server, no third party).
// Results and filters are built with DOM methods and textContent only: no text from the
// index is ever parsed as HTML, except Pagefind's excerpt, of which only <mark> is kept.
// The address holds the whole search (q, pres, km, distance, filtre), so it can be shared.
// Without a query and without a town nothing is searched: browsing by filters alone would
// download the whole index, so the page offers the static taxonomy pages for that. Filters
// are loaded only when the student opens them (on a wide screen, their groups stand beside the
// results and each loads when opened), and the places only for a town.

import { json, normaliser, paquet, trouverVille, distanceKm } from "./villes.js";
import { bouton as boutonComparer } from "./comparaison.js";

const racine = document.getElementById("recherche");
const champ = document.getElementById("recherche-q");
const champPres = document.getElementById("recherche-pres");
const choixKm = document.getElementById("recherche-km");
const caseDistance = document.getElementById("recherche-distance");
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
const choisis = new Map(); // filter key -> Set of chosen values

let moteur = null;
let resultats = []; // [{id, pagefind?, fiche?, proche?}] in display order
let affiches = 0;
let numeroRequete = 0;
let minuteur = null;
let filtresCharges = false; // Pagefind's filters, loaded when the panel is first opened
let panneauOuvert = false; // the filter panel has been opened once: its counts are kept up to date
let baseComptes = null; // near a town: the fiche numbers the filter counts are made on
let dernierProche = null; // near a town: the last search's places (their lots are fetched for the results shown)
const groupesOuverts = new Set(); // the filter groups the visitor opened
function element(nom, classe, texte) {
  const noeud = document.createElement(nom);
  if (classe) noeud.className = classe;
  if (texte !== undefined) noeud.textContent = texte;
  return noeud;
}

async function chargerMoteur() {
  if (!moteur) {
    moteur = await import(racine.dataset.bundle + "pagefind.js");
    await moteur.options({ excerptLength: 24, noWorker: typeof Worker === "undefined" });
    // The index is in parts at national scale (see builder/search.py): merge the others.
    const parties = (racine.dataset.parties || "").split(" ").filter(Boolean);
    await Promise.all(parties.map((n) => moteur.mergeIndex(`${racine.dataset.bundle}parties/${n}/`)));
  }
  return moteur;
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
  for (const [cle, valeurs] of choisis) for (const valeur of valeurs) parametres.append("filtre", `${cle}:${valeur}`);
  adresse.search = parametres.toString();
  window.history.replaceState(null, "", adresse);
}

// -- near a town ----------------------------------------------------------------------------------

// The places' files (builder/proximite.py): every fiche with a place has a number, in the order
// of titles; a département's file groups its places by position, each with its fiches' numbers
// (as differences) and their bodies' numbers; what a result shows comes in lots, fetched for the
// results shown; each filter's values come in a file of their own, fetched for the filters in use.

async function chercherPres() {
  // -> {ville, km, proches: Map(number -> {numero, distance, commune, departement, organisme})} or {erreur}
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
  fichiersPlaces.forEach((lignes, n) => {
    for (const [lat, lon, commune, ecarts, organismes] of lignes || []) {
      const distance = distanceKm(ville.lat, ville.lon, lat, lon);
      if (distance > km) continue;
      let numero = 0;
      ecarts.forEach((ecart, i) => {
        numero += ecart;
        const connu = proches.get(numero);
        if (!connu || distance < connu.distance) {
          proches.set(numero, { numero, distance, commune, departement: enVue[n], organisme: organismes[i] });
        }
      });
    }
  });
  if (caseDistance.checked) {
    for (const numero of (await json(`${PROXIMITE}distance.json`)) || []) {
      if (!proches.has(numero)) proches.set(numero, { numero, distance: null });
    }
  }
  return { ville, km, proches, lot: (index && index.lot) || 64, lotOrganismes: (index && index.lot_organismes) || 128 };
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

function filtresActifs(sauf = null) {
  const filtres = {};
  for (const [cle, valeurs] of choisis) if (valeurs.size && cle !== sauf) filtres[cle] = { any: [...valeurs] };
  return filtres;
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

// A code (RNCP30012, RS1234, RNCP30012BC01, M1805) that a part of the index lacks is matched
// there by its letters only ("rncp": every fiche), with scores a hundred times lower than the
// page that has it. Those are dropped when a page has it: with the index in parts, as with one.
const CODE = /^[a-z]+[0-9]+[a-z0-9]*$/i;

async function rechercher(pagefind, texte, options = {}) {
  const reponse = await pagefind.search(texte, options);
  const mots = texte.split(/\s+/).filter(Boolean);
  if (mots.length && mots.every((mot) => CODE.test(mot)) && reponse.results.length > 1) {
    const meilleur = reponse.results[0].score;
    reponse.results = reponse.results.filter((r) => r.score >= meilleur / 20);
  }
  return reponse;
}

async function comptesPagefind(pagefind, texte, filtres, reponse) {
  // counts for the filter panel: the narrowed ones, except in a key where values are chosen,
  // which shows what each value would add (the counts without that key's choice)
  const comptes = { ...(Object.keys(filtres).length ? reponse.filters : reponse.totalFilters) };
  for (const cle of Object.keys(filtres)) {
    const autres = filtresActifs(cle);
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
    etat.textContent = "Tapez un métier, une compétence ou un code (RNCP, ROME), ou une ville, pour lancer la recherche.";
    return;
  }
  etat.textContent = "Recherche en cours…";
  liste.setAttribute("aria-busy", "true");
  try {
    const filtres = filtresActifs();
    const proche = pres ? await chercherPres() : null;
    if (proche && !proche.erreur) await chargerValeurs(Object.keys(filtres));
    if (numero !== numeroRequete) return; // a newer search has started
    if (proche && proche.erreur) {
      resultats = [];
      liste.replaceChildren();
      boutonFiltres.disabled = true;
      plus.hidden = true;
      etat.textContent = proche.erreur;
      return;
    }
    let comptes = null;
    baseComptes = null;
    if (texte && !proche) {
      const pagefind = await chargerMoteur();
      const reponse = await rechercher(pagefind, texte, Object.keys(filtres).length ? { filters: filtres } : {});
      if (numero !== numeroRequete) return;
      resultats = reponse.results.map((r) => ({ id: r.id, pagefind: r, proche: null }));
      if (filtresCharges) comptes = await comptesPagefind(pagefind, texte, filtres, reponse);
    } else if (texte) {
      // the text's results (without filters: they are applied here, on the places' values) near the town
      const [pagefind, ids] = await Promise.all([chargerMoteur(), json(`${PROXIMITE}ids.json`)]);
      const reponse = await rechercher(pagefind, texte);
      if (numero !== numeroRequete) return;
      const parId = new Map((ids || []).map((id, n) => [id, n]));
      const trouves = reponse.results.filter((r) => parId.has(r.id) && proche.proches.has(parId.get(r.id)));
      baseComptes = trouves.map((r) => parId.get(r.id));
      resultats = trouves.filter((r) => correspond(parId.get(r.id), filtres))
        .map((r) => ({ id: r.id, pagefind: r, proche: proche.proches.get(parId.get(r.id)) }));
    } else {
      baseComptes = [...proche.proches.keys()];
      const retenus = [...proche.proches.values()].filter((p) => correspond(p.numero, filtres));
      retenus.sort((a, b) => rang(a) - rang(b) || a.numero - b.numero);
      resultats = retenus.map((p) => ({ proche: p }));
    }
    if (baseComptes && (panneauOuvert || Object.keys(filtres).length)) comptes = comptesLocaux(baseComptes, filtres);
    dernierProche = proche;
    if (numero !== numeroRequete) return;
    affiches = 0;
    liste.replaceChildren();
    boutonFiltres.disabled = !resultats.length && !Object.keys(filtres).length;
    if (comptes) afficherFiltres(comptes);
    await afficherSuite(numero);
    etat.textContent = resume(texte, proche, Object.keys(filtres).length > 0);
    // a wide screen has room for the filters beside the results: no button to press
    if (LARGE.matches && !boutonFiltres.disabled && boutonFiltres.getAttribute("aria-expanded") !== "true") ouvrirColonne();
  } catch (erreur) {
    etat.textContent = "La recherche n’a pas pu être chargée. Parcourez le catalogue ci-dessous.";
    throw erreur;
  } finally {
    if (numero === numeroRequete) liste.setAttribute("aria-busy", "false");
  }
}

function resume(texte, proche, filtre) {
  const n = resultats.length;
  const avec = filtre ? " avec les filtres choisis" : "";
  const ou = proche ? ` à moins de ${proche.km} km de ${proche.ville.nom}${caseDistance.checked ? " ou à distance" : ""}` : "";
  const homonymes = proche && proche.ville.autres.length ? ` D’autres communes portent ce nom : ${proche.ville.autres.join(", ")} ; précisez le département, par exemple « ${proche.ville.autres[0]} ».` : "";
  if (!n) {
    return `Aucun résultat${texte ? ` pour « ${texte} »` : ""}${ou}${avec}. ` +
      (proche ? "Élargissez le rayon, ou parcourez le catalogue ci-dessous." : "Essayez un autre mot, ou parcourez le catalogue ci-dessous.") + homonymes;
  }
  return `${pluriel(n, texte ? "résultat" : "certification")}${texte ? ` pour « ${texte} »` : (proche ? " préparée" + (n > 1 ? "s" : "") : "")}${ou}${avec}.${homonymes}`;
}

async function afficherSuite(numero) {
  const lot = resultats.slice(affiches, affiches + PAR_PAGE);
  const [donnees, fiches, organismes] = await Promise.all([
    Promise.all(lot.map((r) => (r.pagefind ? r.pagefind.data() : null))),
    Promise.all(lot.map((r) => (r.pagefind ? null : ficheProche(r.proche.numero)))),
    Promise.all(lot.map((r) => (r.proche && r.proche.distance !== null ? organismeProche(r.proche) : null))),
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
  const km = proche.distance < 1 ? "moins de 1 km" : `${Math.round(proche.distance).toLocaleString("fr-FR")} km`;
  const ou = [organisme, proche.commune].filter(Boolean).join(", ");
  return element("p", "resultat-lieu", `Au plus près : ${ou} (${km}).`);
}

function carteProche(proche, fiche, organisme) {
  const [, numero, titre, niveau, etat] = fiche || ["", "", "Certification", "", ""];
  const item = carte(`${FICHES}${numero.toLowerCase()}/`, titre, [["Fiche"], [numero, "numero"], [niveau], statut(etat)], null);
  item.append(lieuProche(proche, organisme));
  if (numero) item.append(boutonComparer(numero, titre));
  return item;
}

function carteFiche(donnee, blocs, proche, organisme) {
  const meta = donnee.meta || {};
  const item = carte(donnee.url, meta.title || donnee.url, [["Fiche"], [meta.numero, "numero"], [meta.niveau], statut(meta.statut)], donnee.excerpt);
  if (proche) item.append(lieuProche(proche, organisme));
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

function carteBloc(donnee, sous) {
  const meta = donnee.meta || {};
  const item = carte(lienBloc(donnee, sous), titreBloc(sous),
    [["Bloc de compétences"], [sous.anchor.id.toUpperCase(), "numero"], [meta.niveau], statut(meta.statut)], sous.excerpt);
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
