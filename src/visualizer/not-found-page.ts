const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** A page for a graph URL naming a host nobody knows; the message is data, escaped. */
export function notFoundPage(message: string): string {
  const text = escapeHtml(message);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found - liveprofiler</title></head>
<body>
<h1>Not found</h1>
<p>${text}</p>
<p><a href="/">All hosts</a></p>
</body>
</html>
`;
}
