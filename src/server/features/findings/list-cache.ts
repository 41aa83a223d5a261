import type { Db } from '../../db/client.ts';
import type { FindingRow } from './item-queries.ts';

/**
 * docs/rules.md "Findings list": the list pages a server process has answered, kept as the bytes it sent, and
 * answered again only while they are certain to be the same page:
 * - the tenant's list generation, read by the request's own access statement, is the one the page was made
 *   at (migration finding_list_generation_triggers changes it at the commit of any change a list shows);
 * - no moment the page depends on has come: an acceptance or an exception ending, a review falling due.
 * Each process keeps its own pages and the database says when they are stale, so processes behind a load
 * balancer never answer differently. Kept per database (tests open many in one process).
 */
interface KeptPage {
  generation: string;
  /** Epoch ms from which the page may read differently. */
  until: number;
  body: string;
}

/** Characters of JSON a process keeps per database: a few MB, within the embedded server's memory bound. */
const KEPT_CHARACTERS = 4_000_000;
/** A page larger than this (limit=200 with long descriptions) is answered, not kept. */
const LARGEST_KEPT_PAGE = KEPT_CHARACTERS / 16;

export class KeptListPages {
  private readonly pages = new Map<string, KeptPage>();
  private characters = 0;

  /** The page kept under `key`, if it was made at `generation` and nothing it shows has changed by `now`. */
  answer(key: string, generation: string, now: number): string | undefined {
    const page = this.pages.get(key);
    if (page === undefined) return undefined;
    this.pages.delete(key);
    if (page.generation !== generation || now >= page.until) {
      this.characters -= page.body.length;
      return undefined;
    }
    this.pages.set(key, page); // the Map's order is the order of use: the first is the least recently used
    return page.body;
  }

  keep(key: string, page: KeptPage): void {
    if (page.body.length > LARGEST_KEPT_PAGE) return;
    const previous = this.pages.get(key);
    if (previous !== undefined) {
      this.pages.delete(key);
      this.characters -= previous.body.length;
    }
    this.pages.set(key, page);
    this.characters += page.body.length;
    for (const [oldest, kept] of this.pages) {
      if (this.characters <= KEPT_CHARACTERS) break;
      this.pages.delete(oldest);
      this.characters -= kept.body.length;
    }
  }

  get size(): number {
    return this.pages.size;
  }
}

const keptPagesOf = new WeakMap<Db, KeptListPages>();

export function keptListPages(db: Db): KeptListPages {
  let pages = keptPagesOf.get(db);
  if (pages === undefined) {
    pages = new KeptListPages();
    keptPagesOf.set(db, pages);
  }
  return pages;
}

/**
 * The first moment after `now` at which a page of these rows may read differently: the earliest acceptance of
 * the tenant to end (it moves findings into or out of the open list: `nextAcceptanceEnd`, epoch ms or null; no
 * row's own acceptance ends before it), and each shown exception's expiry and review date. Infinity when nothing
 * on the page moves with the clock.
 */
export function pageChangesAt(
  rows: Pick<FindingRow, 'x'>[],
  nextAcceptanceEnd: number | null,
  now: number,
): number {
  let until = nextAcceptanceEnd !== null && nextAcceptanceEnd > now ? nextAcceptanceEnd : Infinity;
  const consider = (moment: number) => {
    if (moment > now && moment < until) until = moment;
  };
  for (const row of rows) {
    if (row.x === null) continue;
    consider(Date.parse(row.x.review_due_at));
    if (row.x.expires_at !== null) consider(Date.parse(row.x.expires_at));
  }
  return until;
}
