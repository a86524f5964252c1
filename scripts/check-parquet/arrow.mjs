// arrow.mjs FILE... — reads Arrow IPC files with apache-arrow (independent of
// piimask's Go writers) and prints one JSON object keyed by file: which IPC
// format apache-arrow's reader found ("stream" or "file"), the record batch
// count, the columns, and every row as plain JSON (64-bit integers as numbers).
import { RecordBatchReader, Vector } from 'apache-arrow';
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) { console.error('usage: node arrow.mjs FILE...'); process.exit(2); }

// plain turns Arrow values (vectors, struct rows, typed arrays, bigints)
// into plain JSON values.
function plain(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Vector || ArrayBuffer.isView(v) || Array.isArray(v)) return Array.from(v, plain);
  if (typeof v === 'object') {
    const o = typeof v.toJSON === 'function' ? v.toJSON() : v;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

const out = {};
for (const file of files) {
  const reader = RecordBatchReader.from(readFileSync(file));
  reader.open();
  const format = reader.isFile() ? 'file' : reader.isStream() ? 'stream' : 'unknown';
  const columns = reader.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
  const rows = [];
  let batches = 0;
  for (const batch of reader) {
    batches++;
    for (const r of batch) rows.push(plain(r));
  }
  out[file] = { format, batches, columns, rows };
}
console.log(JSON.stringify(out));
