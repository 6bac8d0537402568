// A fiche's places by distance from a town, on the fiche page and on its places pages. With a
// town in the address (`?pres=Rennes (35)`, as search near me and the compare page write it),
// each place with a position says how far it is, each list of places is ordered from the
// nearest, and the place the address points to (`#lieu-3`) is brought back into view. A fiche
// whose places are on pages of their own names the nearest ones, with links. The positions come
// from the fiche's small file (`comparer/<numero>-lieux.json`, builder/choosing/comparaison.py),
// and the town from the site's gazetteer files, both fetched only when a town is given. Without
// a town, or without JavaScript, the lists stay as they are. The fiche page offers a small form
// ("Classer par distance d'une ville", shown only with JavaScript) that reloads it with a town.

const zone = document.querySelector("[data-lieux-positions]");
const pres = new URLSearchParams(window.location.search).get("pres");
const classer = document.getElementById("lieux-classer-ville"); // the fiche page's "Classer par distance d'une ville"
if (classer && pres) classer.value = pres;
if (zone && pres && pres.trim()) {
  import("./villes.js").then((villes) => ordonner(villes, zone, pres));
}

async function ordonner({ trouverVille, distanceKm, json, kilometres, element }, zone, pres) {
  const [ville, positions] = await Promise.all([trouverVille(pres, zone.dataset.geo), json(zone.dataset.lieuxPositions)]);
  if (!ville || !positions) return;
  const places = []; // {id, distance, commune, organisme, page}, nearest first
  for (const [lat, lon, commune, , numeros, page, organismes] of positions) {
    const distance = distanceKm(ville.lat, ville.lon, lat, lon);
    (numeros || []).forEach((n, i) => places.push({ id: `lieu-${n}`, distance, commune, organisme: (organismes || [])[i], page: page || 0 }));
  }
  places.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id, "fr", { numeric: true }));
  const distances = new Map(places.map((p) => [p.id, p.distance]));
  let note = null;
  // each list is ordered on its own (one per département on a places page, one per "déclarés
  // par" on a fiche page): the note says so when there are several
  const listes = [...zone.querySelectorAll("ul.lieux")].filter((liste) => [...liste.children].some((li) => distances.has(li.id)));
  for (const liste of listes) {
    const lignes = [...liste.children].filter((li) => distances.has(li.id));
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
      note = element("p", "lieux-ordre", listes.length > 1
        ? `Dans chaque liste, les lieux sont classés du plus proche au plus loin de ${ville.nom}.`
        : `Lieux classés du plus proche au plus loin de ${ville.nom}.`);
      // several lists: above the first one's heading, which it does not belong to alone
      let avant = liste;
      while (listes.length > 1 && avant.previousElementSibling && /^H[2-6]$/.test(avant.previousElementSibling.tagName)) avant = avant.previousElementSibling;
      avant.before(note);
    }
  }
  if (!note && zone.dataset.lieux && places.length) {
    // the places are on pages of their own: the nearest, with links to them
    note = element("p", "lieux-ordre", `Les plus proches de ${ville.nom} : `);
    const textes = new Set(); // each link says where it leads (WCAG 2.4.4): the body, the town
    places.slice(0, 3).forEach((place, i) => {
      let texte = [place.organisme, place.commune].filter(Boolean).join(", ") || "lieu";
      if (textes.has(texte)) texte += ` (lieu ${place.id.slice(5)})`;
      textes.add(texte);
      const lien = element("a", null, `${texte}, à ${kilometres(place.distance)}`);
      const page = place.page > 1 ? `page/${place.page}/` : "";
      lien.href = `${zone.dataset.lieux}${page}?pres=${encodeURIComponent(pres)}#${place.id}`;
      note.append(lien, i < Math.min(places.length, 3) - 1 ? " ; " : ".");
    });
    const titre = zone.querySelector("h2");
    if (titre) titre.after(note);
  }
  let ancre = window.location.hash.slice(1);
  try {
    ancre = decodeURIComponent(ancre);
  } catch {
    // a malformed address (`#%E0%A4%A`): its anchor as written
  }
  const cible = ancre && document.getElementById(ancre);
  if (cible && zone.contains(cible)) cible.scrollIntoView({ block: "start" }); // the list moved under it
}
