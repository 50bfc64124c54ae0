/** Articles for the reading-comfort tests (e2e/reading-comfort.spec.ts): headlines with long
 *  unbroken tokens (a URL, a German compound, a hashtag, markup typed as text) that lead every
 *  list they are in, and articles of a known reading time. Imported beside the demo articles into
 *  a server of the spec's own. */
import { readFileSync } from 'node:fs';

export const demoArticles: Array<Record<string, unknown> & { slug: string; section: { slug: string; name: string } }> =
  JSON.parse(readFileSync(new URL('../server/demo/articles.json', import.meta.url), 'utf8'));

export const tokens = {
  url: 'https://news.example.org/2026/11/28/a-very-long-address-that-has-no-spaces-at-all/index.html?utm_source=broadsheet',
  compound: 'Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaftsversammlung',
  hashtag: '#EveryoneIsTalkingAboutThisExtraordinarilyLongHashtagThatNeverEndsAtAll2026',
  markup: '<section class="a-very-long-class-name-typed-as-text-in-a-headline">&nbsp;</section>',
};

const sections = ['world', 'business', 'science', 'culture'].map(
  (slug) => demoArticles.find((a) => a.section.slug === slug)!.section,
);

/** One article per token, each in a section of the demo, newer than every demo article, an
 *  editors' pick, sharing tags with the demo articles (so "You May Also Like" finds them). */
export const longArticles = Object.entries(tokens).map(([kind, token], i) => ({
  slug: `long-${kind}`,
  section: sections[i],
  headline: `Unbroken: ${token}`,
  standfirst: `The standfirst holds it too: ${token}`,
  byline: { name: token.slice(0, 100), email: null },
  source: token.slice(0, 100),
  published_at: `2026-11-28T0${i}:00:00Z`,
  editors_pick: true,
  tags: ['climate', 'cities', 'small business', 'museums', token.slice(0, 60)],
  image: { src: '/media/harbour.svg', alt: `Picture for ${kind}`, caption: token, width: 1200, height: 675 },
  body: [
    { type: 'paragraph', text: `A paragraph with ${token} in it.`, runs: [{ text: `A paragraph with ${token} in it.`, link: 'https://news.example.org/' }] },
    { type: 'heading', text: token },
    { type: 'quote', text: token, cite: token.slice(0, 100) },
    { type: 'list', ordered: false, items: [token, 'short'] },
  ],
}));

/** 460 English words: 2 minutes at 230 words a minute. */
export const englishArticle = {
  slug: 'reading-time-english',
  section: sections[0],
  headline: 'Reading time in English',
  published_at: '2026-10-01T00:00:00Z',
  body: Array.from({ length: 46 }, () => ({ type: 'paragraph', text: 'one two three four five six seven eight nine ten' })),
};

/** 1,000 Hangul syllables: 2 minutes at 500 characters a minute (the spaces between words do not
 *  make them words). */
export const koreanArticle = {
  slug: 'reading-time-korean',
  section: sections[0],
  headline: '한국어 읽기 시간',
  published_at: '2026-10-01T00:00:00Z',
  body: Array.from({ length: 20 }, () => ({ type: 'paragraph', text: '가나다라마 '.repeat(10).trim() })),
};
