#!/usr/bin/env node
// Reference tokenization throughput for scripts/bench-tokenize.sh: encodes the
// source_text of every row of a JSONL file with the Rust tokenizers (npm
// binding), one text at a time and with encodeBatch, and prints one JSON line
// {docs, bytes, encode_seconds, batch_seconds}.
// Usage: node bench-corpus.js TOKENIZER_JSON CORPUS_JSONL
'use strict';
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

async function main() {
  const [tokFile, corpus] = process.argv.slice(2);
  const texts = fs.readFileSync(corpus, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).source_text);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const tok = Tokenizer.fromFile(tokFile);
  tok.disableTruncation();
  tok.disablePadding();
  let t0 = process.hrtime.bigint();
  for (const t of texts) {
    const e = await tok.encode(t);
    e.getIds();
    e.getOffsets();
  }
  const encodeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < texts.length; i += 256) {
    const encs = await tok.encodeBatch(texts.slice(i, i + 256));
    for (const e of encs) {
      e.getIds();
      e.getOffsets();
    }
  }
  const batchSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ docs: texts.length, bytes, encode_seconds: encodeSeconds, batch_seconds: batchSeconds }));
}
main().catch((e) => { console.error(e); process.exit(1); });
