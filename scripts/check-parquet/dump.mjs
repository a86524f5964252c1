// dump.mjs FILE — reads one Parquet file with DuckDB (independent of
// piimask's Go code) and prints {columns: [{name, type}], rows: [...]} as
// JSON, 64-bit integers as numbers when they fit, else as strings.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) { console.error('usage: node dump.mjs FILE'); process.exit(2); }
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const path = file.replaceAll("'", "''");
const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
const columns = desc.getRowObjectsJS().map((r) => ({ name: r.column_name, type: r.column_type }));
const res = await con.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
const rows = res.getRowObjectsJS();
console.log(JSON.stringify({ columns, rows }, (_, v) =>
  typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v));
