// hello.js: a wasi:http handler in JavaScript, fetch-event style (what Spin's
// JS SDK users ship), built into a wasi:http/incoming-handler@0.2.10 component
// by `jco componentize` (componentize-js 0.22, StarlingMonkey). Every request
// gets 200, content-type: text/plain,
//   Hello from a JS wasi:http component
//   METHOD PATH-WITH-QUERY
addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const body = `Hello from a JS wasi:http component\n${event.request.method} ${url.pathname}${url.search}\n`;
  event.respondWith(new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } }));
});
