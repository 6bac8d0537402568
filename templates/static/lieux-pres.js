// A fiche's places by distance from a town, on the fiche page and on its places pages. With a
// town in the address (`?pres=Rennes (35)`, as search near me and the compare page write it),
// each place with a position says how far it is, each list of places is ordered from the
// nearest, and the place the address points to (`#lieu-3`) is brought back into view. A fiche
// whose places are on pages of their own names the nearest ones, with links. The positions come
// from the fiche's small file (`comparer/<numero>-lieux.json`, builder/choosing/comparaison.py),
// and the town from the site's gazetteer files, both fetched only when a town is given. Without
// a town, or without JavaScript, the lists stay as they are.

const zone = document.querySelector("[data-lieux-positions]");
const pres = new URLSearchParams(window.location.search).get("pres");
if (zone && pres && pres.trim()) {
  import("./villes.js").then((villes) => ordonner(villes, zone, pres));
}

function kilometres(distance) {
  return distance < 1 ? "moins de 1 km" : `${Math.round(distance).toLocaleString("fr-FR")} km`;
}

function element(nom, classe, texte) {
  const noeud = document.createElement(nom);
  if (classe) noeud.className = classe;
  if (texte !== undefined) noeud.textContent = texte;
  return noeud;
}

async function ordonner({ trouverVille, distanceKm, json }, zone, pres) {
  const [ville, positions] = await Promise.all([trouverVille(pres, zone.dataset.geo), json(zone.dataset.lieuxPositions)]);
  if (!ville || !positions) return;
  const places = []; // {id, distance, commune, page}, nearest first
  for (const [lat, lon, commune, , numeros, page] of positions) {
    const distance = distanceKm(ville.lat, ville.lon, lat, lon);
    for (const n of numeros || []) places.push({ id: `lieu-${n}`, distance, commune, page: page || 0 });
  }
  places.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id, "fr", { numeric: true }));
  const distances = new Map(places.map((p) => [p.id, p.distance]));
  let note = null;
  for (const liste of zone.querySelectorAll("ul.lieux")) {
    const lignes = [...liste.children].filter((li) => distances.has(li.id));
    if (!lignes.length) continue;
    for (const li of lignes) {
      const ligne = element("span", "adresse-ligne lieux-distance", `À ${kilometres(distances.get(li.id))} de ${ville.nom}`);
      const nom = li.querySelector("strong");
      if (nom) nom.after(ligne);
      else li.prepend(ligne);
    }
    lignes.sort((a, b) => distances.get(a.id) - distances.get(b.id));
    const autres = [...liste.children].filter((li) => !distances.has(li.id)); // without a position: last, as they were
    liste.append(...lignes, ...autres);
    if (!note) {
      note = element("p", "lieux-ordre", `Lieux classés du plus proche au plus loin de ${ville.nom}.`);
      liste.before(note);
    }
  }
  if (!note && zone.dataset.lieux && places.length) {
    // the places are on pages of their own: the nearest, with links to them
    note = element("p", "lieux-ordre", `Les plus proches de ${ville.nom} : `);
    places.slice(0, 3).forEach((place, i) => {
      const lien = element("a", null, `${place.commune || "lieu"}, à ${kilometres(place.distance)}`);
      const page = place.page > 1 ? `page/${place.page}/` : "";
      lien.href = `${zone.dataset.lieux}${page}?pres=${encodeURIComponent(pres)}#${place.id}`;
      note.append(lien, i < Math.min(places.length, 3) - 1 ? " ; " : ".");
    });
    const titre = zone.querySelector("h2");
    if (titre) titre.after(note);
  }
  const cible = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  if (cible && zone.contains(cible)) cible.scrollIntoView({ block: "start" }); // the list moved under it
}
