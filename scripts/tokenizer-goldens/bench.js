#!/usr/bin/env node
// Reference throughput of the Rust tokenizers (npm binding) on the golden
// corpus, to compare with `go test -bench Encode ./stages/tokenize/hf`.
// Usage: node bench.js [SHARED_TOKENIZERS_DIR]
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const repo = path.resolve(__dirname, '..', '..');
const testdata = path.join(repo, 'stages', 'tokenize', 'hf', 'testdata');
const sharedDir = process.argv[2] || path.resolve(repo, '..', 'shared', 'tokenizers');
const files = {
  'wordpiece-mbert': path.join(sharedDir, 'bert-base-multilingual-cased', 'tokenizer.json'),
  'bytelevel-bpe-gpt2': path.join(sharedDir, 'gpt2', 'tokenizer.json'),
  'bytelevel-bpe-roberta': path.join(sharedDir, 'roberta-base', 'tokenizer.json'),
  'unigram-t5': path.join(sharedDir, 't5-small', 'tokenizer.json'),
  'bytefallback-bpe-phi3': path.join(sharedDir, 'phi-3-mini', 'tokenizer.json'),
  'trained-wordpiece': path.join(testdata, 'trained-wordpiece.json'),
  'trained-bpe': path.join(testdata, 'trained-bpe.json'),
};

async function main() {
  const texts = JSON.parse(fs.readFileSync(path.join(testdata, 'texts.json'), 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  for (const [name, file] of Object.entries(files)) {
    if (!fs.existsSync(file)) continue;
    const tok = Tokenizer.fromFile(file);
    tok.disableTruncation();
    tok.disablePadding();
    for (const t of texts) await tok.encode(t); // warm up
    let docs = 0;
    const t0 = process.hrtime.bigint();
    let secs = 0;
    // Sequential awaits (one text at a time), as the Go benchmark does.
    while (secs < 1) {
      for (const t of texts) {
        const e = await tok.encode(t);
        e.getIds();
        e.getOffsets();
      }
      docs += texts.length;
      secs = Number(process.hrtime.bigint() - t0) / 1e9;
    }
    const mb = (bytes * docs) / texts.length / 1e6 / secs;
    // encodeBatch (the library's own parallel batch path) for comparison.
    let bdocs = 0;
    const b0 = process.hrtime.bigint();
    let bsecs = 0;
    while (bsecs < 1) {
      const encs = await tok.encodeBatch(texts);
      for (const e of encs) {
        e.getIds();
        e.getOffsets();
      }
      bdocs += texts.length;
      bsecs = Number(process.hrtime.bigint() - b0) / 1e9;
    }
    console.log(`${name.padEnd(24)} encode ${(docs / secs).toFixed(0).padStart(7)} docs/s ${mb.toFixed(2).padStart(5)} MB/s | encodeBatch ${(bdocs / bsecs).toFixed(0).padStart(7)} docs/s ${((bytes * bdocs) / texts.length / 1e6 / bsecs).toFixed(2).padStart(5)} MB/s`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
