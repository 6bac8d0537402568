// Towns and distances, for search near me (recherche.js), the compare page (comparer.js) and the
// places of a fiche by distance (lieux-pres.js): a town typed by name or postal code is found in
// the site's own gazetteer files (geo/, written by builder/search/proximite.py), and distances are
// computed and said here. No server, no third party.

const fichiers = new Map(); // address -> promise of its JSON: each static file is fetched once

export function json(adresse) {
  if (!fichiers.has(adresse)) {
    fichiers.set(adresse, fetch(adresse).then((reponse) => (reponse.ok ? reponse.json() : null)).catch(() => null));
  }
  return fichiers.get(adresse);
}

export function normaliser(nom) {
  // as the gazetteer's keys (builder/geo.py): no accents, no case, no punctuation; St -> Saint
  return nom.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^a-z0-9]+/g, " ").trim()
    .replace(/\bste\b/g, "sainte").replace(/\bst\b/g, "saint")
    .replace(/\bcedex\b.*$/, "").replace(/\s\d{1,2}\s?(e|er|eme|ieme)?(\sarrondissement)?$/, "").trim();
}

export function paquet(c) {
  // as builder/proximite.py: the file a name is in
  for (const article of ["saint ", "sainte ", "le ", "la ", "les ", "l "]) {
    if (c.startsWith(article) && c.length > article.length) return `${article[0]}-${c.slice(article.length, article.length + 2).trim()}`;
  }
  return c.slice(0, 2).trim() || "_";
}

function departementDuCode(cp) {
  if (cp.startsWith("97")) return cp.slice(0, 3);
  if (cp.startsWith("20")) return cp < "20200" ? "2a" : "2b";
  return cp.slice(0, 2);
}

export async function trouverVille(texte, GEO) {
  // GEO: the address of the geo/ folder
  // -> {nom, lat, lon, departement, choisie, autres: [the homonyms, as "Nom (dép.)", the most
  // populous first]} or null; choisie: the département was typed (else the most populous of
  // the communes of this name was taken)
  const saisi = texte.trim();
  const cp = saisi.match(/^(\d{5})\b/);
  if (cp) {
    const codes = await json(`${GEO}cp/${departementDuCode(cp[1])}.json`);
    const communes = codes && codes[cp[1]];
    if (!communes) return null;
    const lat = communes.reduce((s, c) => s + c[1], 0) / communes.length;
    const lon = communes.reduce((s, c) => s + c[2], 0) / communes.length;
    return { nom: `${cp[1]} ${communes.map((c) => c[0]).join(", ")}`, lat, lon, departement: departementDuCode(cp[1]).toUpperCase(), choisie: true, autres: [] };
  }
  const precise = saisi.match(/^(.*?)\s*\(?\b(\d{2,3}|2[abAB])\)?$/); // "Saint-Denis (974)"
  const nom = normaliser(precise ? precise[1] : saisi);
  if (!nom) return null;
  const noms = (await json(`${GEO}noms/${paquet(nom).replace(/ /g, "_")}.json`)) || [];
  // a file lists its communes the most populous first (builder/search/proximite.py): a name
  // several communes share means the biggest, unless the département is typed
  const homonymes = noms.filter((c) => normaliser(c[0]) === nom);
  const premier = precise ? homonymes.find((c) => c[1].toLowerCase() === precise[2].toLowerCase()) : homonymes[0];
  if (!premier) return null;
  return {
    nom: `${premier[0]} (${premier[1]})`, lat: premier[3], lon: premier[4], departement: premier[1], choisie: Boolean(precise),
    autres: homonymes.filter((c) => c !== premier).map((c) => `${c[0]} (${c[1]})`),
  };
}

export function distanceKm(lat1, lon1, lat2, lon2) {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

export function kilometres(distance) {
  // a distance as the pages say it: whole kilometres, French digits
  return distance < 1 ? "moins de 1 km" : `${Math.round(distance).toLocaleString("fr-FR")} km`;
}

export function element(nom, classe, texte) {
  // a new element, its text set as text (never parsed as HTML)
  const noeud = document.createElement(nom);
  if (classe) noeud.className = classe;
  if (texte !== undefined) noeud.textContent = texte;
  return noeud;
}
