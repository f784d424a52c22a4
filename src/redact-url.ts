const HIDDEN = '***';

/**
 * `url` as it may be shown and logged: user-info and query values replaced
 * by ***, everything else as written (`http://***@host/p?apikey=***`). Works
 * on the text, without parsing or normalising it, so a URL without secrets
 * comes back unchanged and names derived from it stay stable.
 */
export function redactUrl(url: string): string {
  const scheme = url.indexOf('://');
  const authorityStart = scheme === -1 ? 0 : scheme + 3;
  let authorityEnd = authorityStart;
  while (authorityEnd < url.length && !'/?#'.includes(url[authorityEnd])) authorityEnd++;
  const at = url.lastIndexOf('@', authorityEnd - 1);
  const hostStart = at >= authorityStart ? at + 1 : authorityStart;
  const userInfo = hostStart > authorityStart ? `${HIDDEN}@` : '';
  const rest = url.slice(hostStart);
  const query = rest.indexOf('?');
  if (query === -1) return url.slice(0, authorityStart) + userInfo + rest;
  const hash = rest.indexOf('#', query);
  const queryEnd = hash === -1 ? rest.length : hash;
  const params = rest
    .slice(query + 1, queryEnd)
    .split('&')
    .map((param) => (param.includes('=') ? `${param.slice(0, param.indexOf('='))}=${HIDDEN}` : param));
  return url.slice(0, authorityStart) + userInfo + rest.slice(0, query + 1) + params.join('&') + rest.slice(queryEnd);
}

/**
 * `text` (an error message, say) with every http(s) URL in it redacted; a URL
 * runs to the next white space, as in node-fetch's `request to URL failed`.
 */
export function redactUrlsIn(text: string): string {
  let redacted = '';
  let copied = 0;
  for (let start = text.indexOf('http'); start !== -1; start = text.indexOf('http', start + 1)) {
    if (start < copied || !(text.startsWith('http://', start) || text.startsWith('https://', start))) continue;
    let end = start;
    while (end < text.length && text[end] !== ' ' && text[end] !== '\n') end++;
    redacted += text.slice(copied, start) + redactUrl(text.slice(start, end));
    copied = end;
  }
  return redacted + text.slice(copied);
}
