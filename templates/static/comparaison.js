// The fiches a student puts aside to compare, on every page: the "Ajouter à la comparaison"
// buttons (real toggle buttons, rendered with each card and fiche page, shown only when scripts
// run) and a small tray with the titles, a button to remove each and the link to the compare
// page. The choice is kept in localStorage, for this site only (its base path is in the key),
// and follows the visitor from page to page and from tab to tab. Up to MAXIMUM fiches.

export const MAXIMUM = 4;
const RACINE = new URL("../", import.meta.url); // the site's root: this file is in assets/
const CLE = `comparaison:${RACINE.pathname}`;
export const PAGE = new URL("comparer/", RACINE).pathname;
const LARGE = window.matchMedia("(min-width: 64rem)"); // as style.css

function element(nom, classe, texte) {
  const noeud = document.createElement(nom);
  if (classe) noeud.className = classe;
  if (texte !== undefined) noeud.textContent = texte;
  return noeud;
}

// -- the stored choice: [[numero, titre], ...] in the order chosen --------------------------------

let memoire = null; // the choice, when the browser refuses to store it: kept for this page only

export function choix() {
  if (memoire) return memoire;
  try {
    const lu = JSON.parse(window.localStorage.getItem(CLE) || "[]");
    return Array.isArray(lu) ? lu.filter((x) => Array.isArray(x) && typeof x[0] === "string").slice(0, MAXIMUM) : [];
  } catch {
    return []; // storage refused (private browsing, settings) or damaged: start afresh
  }
}

const NON_GARDE = "Votre navigateur ne garde pas ce choix d’une page à l’autre : comparez depuis cette page.";

function garder(liste) {
  if (!memoire) {
    try {
      window.localStorage.setItem(CLE, JSON.stringify(liste));
    } catch {
      memoire = liste; // storage refused (private browsing, settings): the choice lives as long as the page
    }
  }
  if (memoire) memoire = liste;
  afficher();
  if (memoire && plateau) plateau.querySelector(".plateau-message").textContent = NON_GARDE;
}

export function retirer(numero) {
  // the compare page removes a column: the stored choice follows when it holds that fiche
  if (choix().some(([n]) => n === numero)) garder(choix().filter(([n]) => n !== numero));
}

export function adresseComparaison(numeros) {
  return `${PAGE}?f=${numeros.join(",")}`;
}

// -- announcing what happened (one live region, made when the page loads) ------------------------

let annonce = null;

function annoncer(texte) {
  if (!annonce) return;
  annonce.textContent = "";
  window.setTimeout(() => { annonce.textContent = texte; }, 50); // the same text twice is read twice
}

// -- the buttons -----------------------------------------------------------------------------------

function titreDe(bouton) {
  const cache = bouton.querySelector(".visuellement-cache");
  return (cache ? cache.textContent : bouton.dataset.f).replace(/^\s*:\s*/, "").trim();
}

export function bouton(numero, titre) {
  // the same button as the templates render (_partials/macros.html), for cards made by scripts
  const b = element("button", "ajout-comparaison", "Ajouter à la comparaison");
  b.type = "button";
  b.dataset.f = numero;
  b.append(element("span", "visuellement-cache", ` : ${titre}`));
  b.setAttribute("aria-pressed", choix().some(([n]) => n === numero) ? "true" : "false");
  return b;
}

function basculer(b) {
  const numero = b.dataset.f;
  const titre = titreDe(b);
  const liste = choix();
  if (liste.some(([n]) => n === numero)) {
    garder(liste.filter(([n]) => n !== numero));
    annoncer(`« ${titre} » retirée de la comparaison.`);
  } else if (liste.length >= MAXIMUM) {
    annoncer(`Vous comparez déjà ${MAXIMUM} certifications : retirez-en une pour ajouter « ${titre} ».`);
    afficher(); // the tray shows the same message
    plateau.querySelector(".plateau-message").textContent = `${MAXIMUM} certifications au plus : retirez-en une pour en ajouter une autre.`;
  } else {
    garder([...liste, [numero, titre]]);
    annoncer(`« ${titre} » ajoutée à la comparaison (${liste.length + 1} sur ${MAXIMUM})${memoire ? `. ${NON_GARDE}` : "."}`);
  }
}

// -- the tray ------------------------------------------------------------------------------------

let plateau = null;

function afficher() {
  const liste = choix();
  const choisis = new Set(liste.map(([n]) => n));
  for (const b of document.querySelectorAll("button.ajout-comparaison[data-f]")) {
    b.setAttribute("aria-pressed", choisis.has(b.dataset.f) ? "true" : "false");
  }
  const surLaPage = window.location.pathname === PAGE;
  if (!liste.length || surLaPage) { // the compare page is the tray's own destination
    if (plateau) plateau.remove();
    plateau = null;
    document.body.classList.remove("avec-plateau");
    document.documentElement.style.removeProperty("--plateau");
    return;
  }
  const ouvert = plateau ? plateau.querySelector("details").open : LARGE.matches; // open at first on a wide screen
  const nouveau = element("aside", "plateau");
  nouveau.setAttribute("aria-label", "Certifications à comparer");
  const details = element("details");
  details.open = ouvert;
  details.append(element("summary", null, `À comparer : ${liste.length} sur ${MAXIMUM}`));
  const ul = element("ul");
  for (const [numero, titre] of liste) {
    const li = element("li");
    const retirer = element("button", "plateau-retirer", "Retirer");
    retirer.type = "button";
    retirer.append(element("span", "visuellement-cache", ` « ${titre} » de la comparaison`));
    retirer.addEventListener("click", () => {
      const rang = choix().findIndex(([n]) => n === numero);
      garder(choix().filter(([n]) => n !== numero));
      annoncer(`« ${titre} » retirée de la comparaison.`);
      // focus: the next remove button (now at the same place), else the previous one, else the content
      const restants = plateau ? [...plateau.querySelectorAll(".plateau-retirer")] : [];
      const suivant = restants[Math.min(rang, restants.length - 1)];
      if (suivant) suivant.focus();
      else document.getElementById("contenu")?.focus();
    });
    li.append(element("span", "plateau-titre", titre), " ", retirer);
    ul.append(li);
  }
  details.append(ul);
  const lien = element("a", "plateau-lien", `Comparer (${liste.length})`);
  lien.href = adresseComparaison(liste.map(([n]) => n));
  const message = element("p", "plateau-message");
  nouveau.append(details, lien, message);
  if (plateau) plateau.replaceWith(nouveau);
  else document.body.append(nouveau);
  plateau = nouveau;
  document.body.classList.add("avec-plateau");
  hauteur.observe(nouveau);
}

// The page keeps room for the tray below its content, and keyboard focus scrolls clear of it
// (style.css reads --plateau: the padding, the scroll padding, the sticky contents' height).
const hauteur = new ResizeObserver((entrees) => {
  for (const e of entrees) {
    if (e.target === plateau) document.documentElement.style.setProperty("--plateau", `${Math.ceil(e.target.offsetHeight)}px`);
  }
});

// Cards (lists, related certifications) carry no button in their HTML: each gets one here, in the
// space style.css keeps for it once the page is flagged as scripted, so that nothing moves.
const CARTES = "li.carte, .proches li";
const FICHE = /\/fiches\/([a-z0-9]+)\/$/; // a fiche's address ends with its number, in lower case

function equiper() {
  for (const carte of document.querySelectorAll(CARTES)) {
    const lien = carte.querySelector("a[href]");
    const trouve = lien && new URL(lien.href).pathname.match(FICHE);
    if (trouve && !carte.querySelector("button.ajout-comparaison")) carte.append(bouton(trouve[1].toUpperCase(), lien.textContent.trim()));
  }
}

function demarrer() {
  equiper();
  annonce = element("p", "visuellement-cache");
  annonce.setAttribute("role", "status");
  document.body.append(annonce);
  document.addEventListener("click", (evenement) => {
    const b = evenement.target.closest && evenement.target.closest("button.ajout-comparaison[data-f]");
    if (b) basculer(b);
  });
  window.addEventListener("storage", (evenement) => { if (evenement.key === CLE) afficher(); });
  afficher();
}

// loaded by the page's first script (base.html), maybe before the page is parsed: start once it is
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", demarrer);
else demarrer();
