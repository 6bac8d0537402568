// The search page: Pagefind's JavaScript API behind our own French, accessible interface.
// Results and filters are built with DOM methods and textContent only: no text from the
// index is ever parsed as HTML, except Pagefind's excerpt, of which only <mark> is kept.
// Without a query nothing is searched: browsing by filters alone would download the whole
// index, so the page offers the static taxonomy pages for that. Filters are loaded only
// when the student opens them: the first query stays light on a phone.

const racine = document.getElementById("recherche");
const champ = document.getElementById("recherche-q");
const interfaceRecherche = document.getElementById("recherche-interface");
const etat = document.getElementById("recherche-etat");
const zoneFiltres = document.getElementById("recherche-filtres");
const boutonFiltres = document.getElementById("recherche-filtrer");
const liste = document.getElementById("recherche-resultats");
const plus = document.getElementById("recherche-plus");
const LIBELLES = JSON.parse(racine.dataset.filtres); // [[key, label], ...] in display order
const PAR_PAGE = 10;
const choisis = new Map(); // filter key -> Set of chosen values

let moteur = null;
let resultats = [];
let affiches = 0;
let numeroRequete = 0;
let minuteur = null;
let filtresCharges = false;

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

  }
  return moteur;
}

function filtresActifs() {
  const filtres = {};
  for (const [cle, valeurs] of choisis) if (valeurs.size) filtres[cle] = { any: [...valeurs] };
  return filtres;
}

function pluriel(n, mot) {
  return `${n.toLocaleString("fr-FR")} ${mot}${n > 1 ? "s" : ""}`;
}

function mettreAJourAdresse(texte) {
  const adresse = new URL(window.location.href);
  if (texte) adresse.searchParams.set("q", texte);
  else adresse.searchParams.delete("q");
  window.history.replaceState(null, "", adresse);
}

async function chercher() {
  const texte = champ.value.trim();
  const numero = ++numeroRequete;
  mettreAJourAdresse(texte);
  if (!texte) {
    resultats = [];
    liste.replaceChildren();
    zoneFiltres.hidden = true;
    boutonFiltres.hidden = true;
    plus.hidden = true;
    etat.textContent = "Tapez un métier, une compétence ou un code (RNCP, ROME) pour lancer la recherche.";
    return;
  }
  etat.textContent = "Recherche en cours…";
  try {
    const pagefind = await chargerMoteur();
    const filtres = filtresActifs();
    const reponse = await pagefind.search(texte, Object.keys(filtres).length ? { filters: filtres } : {});
    if (numero !== numeroRequete) return; // a newer search has started
    resultats = reponse.results;
    affiches = 0;
    liste.replaceChildren();
    // counts of each filter value among the results (Pagefind leaves `filters` empty
    // when no filter is applied; `totalFilters` then holds the same counts)
    boutonFiltres.hidden = !resultats.length && !Object.keys(filtres).length;
    if (filtresCharges) afficherFiltres(Object.keys(filtres).length ? reponse.filters : reponse.totalFilters);
    await afficherSuite(numero);
    const filtre = choisis.size && [...choisis.values()].some((v) => v.size) ? " avec les filtres choisis" : "";
    etat.textContent = resultats.length
      ? `${pluriel(resultats.length, "résultat")} pour « ${texte} »${filtre}.`
      : `Aucun résultat pour « ${texte} »${filtre}. Essayez un autre mot, ou parcourez le catalogue ci-dessous.`;
  } catch (erreur) {
    etat.textContent = "La recherche n’a pas pu être chargée. Parcourez le catalogue ci-dessous.";
    throw erreur;
  }
}

async function afficherSuite(numero) {
  const lot = resultats.slice(affiches, affiches + PAR_PAGE);
  const donnees = await Promise.all(lot.map((resultat) => resultat.data()));
  if (numero !== numeroRequete) return;
  const code = champ.value.replace(/\s/g, "").toLowerCase();
  for (const donnee of donnees) {
    const blocs = (donnee.sub_results || []).filter((s) => s.anchor && BLOC.test(s.anchor.id || ""));
    const exact = blocs.find((s) => s.anchor.id === code);
    if (exact) liste.append(carteBloc(donnee, exact)); // a bloc's exact code: that bloc first
    liste.append(carteFiche(donnee, blocs.filter((s) => s !== exact)));
  }
  affiches += lot.length;
  plus.hidden = affiches >= resultats.length;
}

const BLOC = /^(rncp|rs)[0-9]+bc[0-9]+$/; // ids of the bloc headings of a fiche page

function lienBloc(donnee, sous) {
  return new URL(racine.dataset.bloc.replace("{code}", sous.anchor.id), new URL(donnee.url, window.location.href)).pathname;
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
  const resume = element("p", "resultat-extrait");
  resume.append(...extraitSur(extrait || ""));
  item.append(entete, ligne, resume);
  return item;
}

function statut(meta) {
  return [meta.statut, `statut statut-${(meta.statut || "").toLowerCase()}`];
}

function carteFiche(donnee, blocs) {
  const meta = donnee.meta || {};
  const item = carte(donnee.url, meta.title || donnee.url, [["Fiche"], [meta.numero, "numero"], [meta.niveau], statut(meta)], donnee.excerpt);
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
  return item;
}

function carteBloc(donnee, sous) {
  const meta = donnee.meta || {};
  const item = carte(lienBloc(donnee, sous), titreBloc(sous),
    [["Bloc de compétences"], [sous.anchor.id.toUpperCase(), "numero"], [meta.niveau], statut(meta)], sous.excerpt);
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

function afficherFiltres(comptes) {
  const focus = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.filtre : null;
  zoneFiltres.replaceChildren();
  let numeroCase = 0;
  for (const [cle, libelle] of LIBELLES) {
    const dejaChoisis = choisis.get(cle) || new Set();
    const valeurs = Object.entries(comptes[cle] || {}).filter(([valeur, n]) => n > 0 || dejaChoisis.has(valeur));
    if (!valeurs.length) continue;
    valeurs.sort(([a], [b]) => a.localeCompare(b, "fr", { numeric: true }));
    const groupe = element("details", "filtre");
    groupe.open = dejaChoisis.size > 0;
    const resume = element("summary", null, libelle);
    if (dejaChoisis.size) resume.append(element("span", "filtre-compte", ` (${dejaChoisis.size} choisi${dejaChoisis.size > 1 ? "s" : ""})`));
    const cadre = element("fieldset");
    cadre.append(element("legend", "visuellement-cache", libelle));
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
      cadre.append(ligne);
    }
    groupe.append(resume, cadre);
    zoneFiltres.append(groupe);
  }
  zoneFiltres.hidden = boutonFiltres.getAttribute("aria-expanded") !== "true";
  if (focus) {
    const meme = [...zoneFiltres.querySelectorAll("input")].find((c) => c.dataset.filtre === focus);
    if (meme) meme.focus();
  }
}

document.getElementById("recherche-formulaire").addEventListener("submit", (evenement) => {
  evenement.preventDefault();
  clearTimeout(minuteur);
  chercher();
});
champ.addEventListener("input", () => {
  clearTimeout(minuteur);
  minuteur = setTimeout(chercher, 300);
});
boutonFiltres.addEventListener("click", async () => {
  const ouvrir = boutonFiltres.getAttribute("aria-expanded") !== "true";
  boutonFiltres.setAttribute("aria-expanded", String(ouvrir));
  zoneFiltres.hidden = !ouvrir;
  if (ouvrir && !filtresCharges) {
    etat.textContent = "Chargement des filtres…";
    await (await chargerMoteur()).filters(); // the counts, which searches then report
    filtresCharges = true;
    await chercher();
  }
});
plus.addEventListener("click", () => {
  const premierNouveau = liste.children.length;
  afficherSuite(numeroRequete).then(() => {
    const lien = liste.children[premierNouveau]?.querySelector("a");
    if (lien) lien.focus();
  });
});

interfaceRecherche.hidden = false;
champ.value = new URLSearchParams(window.location.search).get("q") || "";
chercher();
