/*
 * Between the DOM and the source text: the source is drawn as text nodes
 * (some inside <mark> highlights), plus footnote numbers that are not part of
 * the text (marked data-anchor-skip). A selection's boundary points become
 * UTF-16 indexes into the source text by adding up the text nodes before
 * them; lib/anchor turns those into code points.
 */

const SKIP = '[data-anchor-skip]';

function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n.parentElement?.closest(SKIP))) out.push(n as Text);
  }
  return out;
}

/** The UTF-16 index in the root's text of a boundary point (container, offset). */
function indexOf(root: Node, container: Node, offset: number): number {
  const before = document.createRange();
  before.setStart(root, 0);
  before.setEnd(container, offset);
  let index = 0;
  for (const t of textNodes(root)) {
    if (t === container) return index + offset;
    if (before.intersectsNode(t) && before.comparePoint(t, t.length) <= 0) index += t.length;
    else if (before.comparePoint(t, 0) > 0) break;
  }
  return index;
}

/** The selection's range within `root` as UTF-16 indexes of its text, or null when nothing in it is selected. */
export function selectionIn(root: HTMLElement, selection: Selection | null = document.getSelection()): [number, number] | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  return [indexOf(root, range.startContainer, range.startOffset), indexOf(root, range.endContainer, range.endOffset)];
}

/** Selects [start, end) (UTF-16 indexes of the root's text) in the page, as a mouse would. */
export function selectIn(root: HTMLElement, start: number, end: number): void {
  const point = (target: number): [Node, number] => {
    let index = 0;
    for (const t of textNodes(root)) {
      if (target <= index + t.length) return [t, target - index];
      index += t.length;
    }
    return [root, root.childNodes.length];
  };
  const range = document.createRange();
  range.setStart(...point(start));
  range.setEnd(...point(end));
  const sel = document.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
  (range.startContainer.parentElement ?? root).scrollIntoView({ block: 'center' });
}
