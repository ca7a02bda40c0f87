// The listing search index, as pure functions: which index items a listing has, and which of them a
// query reads. Every index partition holds two orders of the same listings (`N#` newest, `R#` rating);
// each index item carries what the filters need, and the revision of the listing it was written for.
// README "Discovery search" explains the design and its limits.
import { invalid } from '#connectors/contracts/wire';
import type { Key } from '#functions/shared/table';
import { ALL_LISTINGS_PK, NEWEST_PREFIX, RATING_PREFIX, categoryPk, tagPk, tokenPk } from './keys.ts';

/** Words indexed per listing (the first distinct ones of name, then tagline, then tags). */
export const MAX_WORDS = 12;
/** Word-prefix lengths that get a token partition; a query word uses the longest one it covers. */
export const PREFIX_LENGTHS = [2, 3, 4, 5, 6, 8, 10] as const;
export const MIN_QUERY_WORD = PREFIX_LENGTHS[0];
export const MAX_QUERY_WORDS = 5;
const MAX_WORD_LENGTH = 40;
/** The rating order sorts by the average rounded down to this step, then newest first. */
export const RATING_STEP = 0.5;

export type IndexPart = 'newest' | 'rating';
export const INDEX_PARTS: readonly IndexPart[] = ['newest', 'rating'];

/** What a listing's index is made of; stored on the listing so the old items can be deleted exactly. */
export interface IndexedContent {
  appId: string;
  name: string;
  tagline: string;
  category: string;
  tags: string[];
  publishedAt: string;
}

/** Where a listing's index items are and which revision of each order is current. */
export interface IndexState {
  /** The index partitions of the listing's content. */
  parts: string[];
  newestRev: string;
  ratingRev: string;
  ratingBucket: string;
}

/** One index item: enough to filter and to find the listing; `key` repeats the sort key for cursors. */
export interface IndexItem {
  appId: string;
  rev: string;
  key: string;
  words: string[];
  category: string;
  tags: string[];
}

/** Lower-case words without diacritics, split on anything but letters and digits. */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** The words a listing is found by: distinct, at least two characters, the first MAX_WORDS. */
export function indexedWords({ name, tagline, tags }: Pick<IndexedContent, 'name' | 'tagline' | 'tags'>): string[] {
  const words = [name, tagline, ...tags].flatMap(wordsOf).filter((word) => word.length >= MIN_QUERY_WORD);
  return [...new Set(words.map((word) => word.slice(0, MAX_WORD_LENGTH)))].slice(0, MAX_WORDS);
}

/** The words of a search: each at least MIN_QUERY_WORD characters, at most MAX_QUERY_WORDS of them; 400 naming `q` otherwise. */
export function queryWords(q: string | undefined): string[] {
  const words = [...new Set(wordsOf(q ?? '').map((word) => word.slice(0, MAX_WORD_LENGTH)))];
  const problem =
    words.some((word) => word.length < MIN_QUERY_WORD) ? `each word needs at least ${MIN_QUERY_WORD} characters`
    : words.length > MAX_QUERY_WORDS ? `at most ${MAX_QUERY_WORDS} words`
    : undefined;
  if (problem) throw invalid(`Invalid input: q: ${problem}`, { issues: [{ field: 'q', message: problem }], issueCount: 1 });
  return words;
}

export const tokenOf = (word: string): string => word.slice(0, PREFIX_LENGTHS.filter((length) => length <= word.length).at(-1));

export function partitionsOf(content: IndexedContent): string[] {
  const tokens = new Set(indexedWords(content).flatMap((word) => PREFIX_LENGTHS.filter((length) => length <= word.length).map((length) => word.slice(0, length))));
  return [ALL_LISTINGS_PK, categoryPk(content.category), ...new Set(content.tags.map(tagPk)), ...[...tokens].map(tokenPk)];
}

/** The bucket of the rating order: "00" unrated, else the average rounded down to RATING_STEP, times ten. */
export function ratingBucket(ratingSum: number, ratingCount: number): string {
  if (ratingCount === 0) return '00';
  const rounded = Math.floor(ratingSum / ratingCount / RATING_STEP) * RATING_STEP;
  return Math.round(rounded * 10).toString().padStart(2, '0');
}

const sortKeyOf = (part: IndexPart, content: IndexedContent, state: IndexState) =>
  part === 'newest'
    ? `${NEWEST_PREFIX}${content.publishedAt}#${content.appId}#${state.newestRev}`
    : `${RATING_PREFIX}${state.ratingBucket}#${content.publishedAt}#${content.appId}#${state.ratingRev}`;

/** The index items of one order of a listing, with their keys. */
export function indexItems(part: IndexPart, content: IndexedContent, state: IndexState): { key: Key; item: IndexItem }[] {
  const sk = sortKeyOf(part, content, state);
  const item: IndexItem = {
    appId: content.appId,
    rev: part === 'newest' ? state.newestRev : state.ratingRev,
    key: sk,
    words: indexedWords(content),
    category: content.category,
    tags: content.tags,
  };
  return state.parts.map((pk) => ({ key: { pk, sk }, item }));
}

/** Whether an index item still stands for the listing as it is now (else it is a leftover of an older revision). */
export const isCurrent = (part: IndexPart, item: IndexItem, state: IndexState): boolean =>
  item.rev === (part === 'newest' ? state.newestRev : state.ratingRev);

export interface SearchQuery {
  words: string[];
  category?: string;
  tag?: string;
  sort: 'rating' | 'newest';
}

/**
 * The partition a query reads: the most selective one it can name (the longest word token, else the
 * tag, else the category, else all listings). The rest of the query filters what it reads.
 */
export function partitionFor({ words, category, tag }: SearchQuery): string {
  if (words.length > 0) return tokenPk(tokenOf(words.reduce((longest, word) => (tokenOf(word).length > tokenOf(longest).length ? word : longest))));
  if (tag) return tagPk(tag);
  if (category) return categoryPk(category);
  return ALL_LISTINGS_PK;
}

export const matches = (item: IndexItem, { words, category, tag }: SearchQuery): boolean =>
  (category === undefined || item.category === category) &&
  (tag === undefined || item.tags.includes(tag)) &&
  words.every((word) => item.words.some((indexed) => indexed.startsWith(word)));
