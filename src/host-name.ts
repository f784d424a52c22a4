import { codePointName, firstUnprintable } from './printable-text.js';

/** The host name that stands for every host merged. */
export const ALL_HOSTS = '_all';

export const MAX_HOST_NAME_LENGTH = 200;

/**
 * Why `name` cannot name a host (a sentence tail: "the name …"), or null
 * when it can. A name is one path
 * segment of the page's and the API's URLs (encoded), a key in the store and
 * text on the page. '/' is allowed: an unlabelled URL entry is named by its
 * URL, and an encoded '/' (%2F) stays inside its segment. '.' and '..' are
 * not, as URL resolution removes them as segments before any server sees them.
 */
export function hostNameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name.length > MAX_HOST_NAME_LENGTH) return `is longer than ${MAX_HOST_NAME_LENGTH} characters`;
  if (name === ALL_HOSTS) return 'is reserved for all hosts merged';
  if (name === '.' || name === '..') return 'cannot be a URL path segment';
  const unprintable = firstUnprintable(name);
  if (unprintable !== null) return `holds the unprintable character ${codePointName(unprintable.codePoint)}`;
  if (name.trim() !== name) return 'starts or ends with white space';
  return null;
}
