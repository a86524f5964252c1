#!/usr/bin/env node
// Writes golden encodings for the Go tokenizer conformance tests
// (stages/tokenize/hf/testdata/goldens/<name>.jsonl) using the official
// Rust `tokenizers` library through its Node binding.
//
// Usage: node generate.js [SHARED_TOKENIZERS_DIR]
// Each output line: {text, add_special, ids, tokens, offsets, type_ids,
// attention_mask, special_tokens_mask, word_ids}; offsets are code points.
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const repo = path.resolve(__dirname, '..', '..');
const testdata = path.join(repo, 'stages', 'tokenize', 'hf', 'testdata');
const sharedDir = process.argv[2] || path.resolve(repo, '..', 'shared', 'tokenizers');
const outDir = path.join(testdata, 'goldens');

const shared = ['bert-base-multilingual-cased', 'gpt2', 'roberta-base', 't5-small', 'phi-3-mini'];
// Tokenizers trained by the Go tests (see trainer_test.go); goldens are made
// for them too when the files exist.
const trained = ['trained-wordpiece', 'trained-bpe'];

async function main() {
  const texts = JSON.parse(fs.readFileSync(path.join(testdata, 'texts.json'), 'utf8'));
  fs.mkdirSync(outDir, { recursive: true });
  const jobs = shared.map((n) => [n, path.join(sharedDir, n, 'tokenizer.json')])
    .concat(trained.map((n) => [n, path.join(testdata, n + '.json')]))
    .concat(variantFiles());
  for (const [name, file] of jobs) {
    if (!fs.existsSync(file)) {
      console.error(`skip ${name}: ${file} not found`);
      continue;
    }
    const tok = Tokenizer.fromFile(file);
    tok.disableTruncation();
    tok.disablePadding();
    const lines = [];
    for (const text of texts) {
      for (const addSpecial of [false, true]) {
        const enc = await tok.encode(text, null, { addSpecialTokens: addSpecial });
        lines.push(JSON.stringify({
          text,
          add_special: addSpecial,
          ids: enc.getIds(),
          tokens: enc.getTokens(),
          offsets: enc.getOffsets(),
          type_ids: enc.getTypeIds(),
          attention_mask: enc.getAttentionMask(),
          special_tokens_mask: enc.getSpecialTokensMask(),
          word_ids: enc.getWordIds().map((w) => (w === null || w === undefined ? -1 : w)),
        }));
      }
    }
    const out = path.join(outDir, name + '.jsonl');
    fs.writeFileSync(out, lines.join('\n') + '\n');
    console.log(`${name}: ${lines.length} encodings -> ${path.relative(repo, out)}`);
  }
}

// Variants (testdata/variants.json): a base tokenizer.json with some
// top-level components replaced, to cover normalizers and pre-tokenizers
// that no shipped file uses. The Go test applies the same patches.
function variantFiles() {
  const variants = JSON.parse(fs.readFileSync(path.join(testdata, 'variants.json'), 'utf8'));
  const tmp = fs.mkdtempSync(path.join(require('os').tmpdir(), 'tok-variants-'));
  return variants.map((v) => {
    const [kind, rest] = v.base.split(':');
    const base = kind === 'shared' ? path.join(sharedDir, rest, 'tokenizer.json') : path.join(testdata, rest);
    if (!fs.existsSync(base)) return ['variant-' + v.name, base];
    const doc = JSON.parse(fs.readFileSync(base, 'utf8'));
    Object.assign(doc, v.patch);
    const file = path.join(tmp, v.name + '.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    return ['variant-' + v.name, file];
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
