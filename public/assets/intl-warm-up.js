// A worker the graph page starts first thing (first-requests.js), to set up
// ICU while the page loads: the first Intl call in a renderer loads ICU's
// data, process-wide, for 40-220 ms on a busy machine. Done here, on another
// thread, the page's own first calls (the zone's name, counts with commas)
// cost about a millisecond instead, on the main thread, before the graph.
// Classic, not a module: a worker for a side effect needs no imports.

new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(0);
new Intl.NumberFormat('en-US').format(0);
Intl.DateTimeFormat().resolvedOptions();
close();
