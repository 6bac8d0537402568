// A fiche page on a wide screen keeps "Sur cette page" beside the text (style.css): this marks
// the section being read, with aria-current on its link (only a background changes, so nothing
// moves). On a narrow screen the contents stay at the top of the page, unmarked.

const LARGE = window.matchMedia("(min-width: 64rem)"); // as style.css
const liens = [...document.querySelectorAll(".sommaire a[href^='#']")];
const sections = liens.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1)))).filter(Boolean);
let prevu = false;

function courante() {
  // the last section whose top has passed the reading line (a quarter down the window); at the
  // bottom of the page, the last one whose top is on screen (short sections cannot reach the line)
  const ligne = window.innerHeight / 4;
  const enBas = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
  let trouvee = sections[0] || null;
  for (const s of sections) {
    const haut = s.getBoundingClientRect().top;
    if (haut <= ligne || (enBas && haut < window.innerHeight)) trouvee = s;
  }
  return trouvee;
}

function marquer() {
  prevu = false;
  const lue = LARGE.matches ? courante() : null;
  for (const a of liens) {
    if (lue && a.hash === `#${lue.id}`) a.setAttribute("aria-current", "location");
    else a.removeAttribute("aria-current");
  }
}

function plusTard() {
  if (!prevu) {
    prevu = true;
    window.requestAnimationFrame(marquer);
  }
}

window.addEventListener("scroll", plusTard, { passive: true });
window.addEventListener("resize", plusTard);
LARGE.addEventListener("change", plusTard);
marquer();
