// check.mjs DIR — reads DIR/{train,validation,test}.parquet with DuckDB and
// DIR/*.arrow with apache-arrow (both independent of piimask's Go writers)
// and prints one JSON object: per file, row count, column names and types,
// and the rows (id, window, labels, offsets) for comparison by the Go test.
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) { console.error('usage: node check.mjs DIR'); process.exit(2); }
const out = {};
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const num = (v) => (typeof v === 'bigint' ? Number(v) : v);
for (const split of ['train', 'validation', 'test']) {
  const pq = join(dir, `${split}.parquet`);
  if (existsSync(pq)) {
    const path = pq.replaceAll("'", "''");
    const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    const columns = desc.getRowObjectsJS().map((r) => ({ name: r.column_name, type: r.column_type }));
    const res = await con.runAndReadAll(`SELECT id, "window", labels, offsets, attention_mask FROM read_parquet('${path}') ORDER BY id, "window"`);
    const rows = res.getRowObjectsJS().map((r) => ({
      id: r.id, window: num(r.window), labels: r.labels.map(num),
      offsets: r.offsets.map((p) => p.map(num)), attention_mask: r.attention_mask.map(num),
    }));
    out[`${split}.parquet`] = { rows: rows.length, columns, data: rows };
  }
  const ar = join(dir, `${split}.arrow`);
  if (existsSync(ar)) {
    const t = tableFromIPC(readFileSync(ar));
    const columns = t.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
    const data = t.toArray().map((r) => ({
      id: r.id, window: num(r.window), labels: Array.from(r.labels.toArray(), num),
      offsets: Array.from(r.offsets.toArray(), (p) => Array.from(p.toArray(), num)),
      attention_mask: Array.from(r.attention_mask.toArray(), num),
    }));
    out[`${split}.arrow`] = { rows: t.numRows, columns, data };
  }
}
console.log(JSON.stringify(out));
