// The peer of component_invoke_test.py: imports a component transpiled by
// `jco transpile`, makes each call (JavaScript source over the module
// namespace `m`, one per line of argv[3]'s JSON list) and prints the results
// as one JSON list. Errors a call throws (a result's err, a trap) become
// {"err": payload} / {"trap": message}.
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';

const m = await import(pathToFileURL(process.argv[2]).href);
const calls = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const out = [];
for (const call of calls) {
  try {
    const value = new Function('m', `return ${call};`)(m);
    out.push({ value: value === undefined ? null : value });
  } catch (e) {
    if (e && e.payload !== undefined) out.push({ err: e.payload });
    else out.push({ trap: String(e) });
  }
}
const plain = (key, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v) : v);
console.log(JSON.stringify(out, plain));
