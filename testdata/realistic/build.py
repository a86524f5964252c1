#!/usr/bin/env python3
"""Build realistic.jsonl from the hand-labelled sources docs-en.txt and docs-fr.txt.

Each source file holds documents separated by header lines "@@@ <id> <language>".
Inside a document a PII span is written [[value|LABEL]]. This script strips the
markup, computes code-point offsets (Python string indices, end exclusive) and
writes one AI4Privacy-200k row per document:
{"id", "language", "source_text", "privacy_mask": [{"value","start","end","label"}]}.

Usage (from the repository root or this folder):
    python3 testdata/realistic/build.py          # writes realistic.jsonl, prints stats
    python3 testdata/realistic/build.py --check  # fails if realistic.jsonl is stale
"""
import json
import os
import re
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = ["docs-en.txt", "docs-fr.txt"]
OUTPUT = "realistic.jsonl"
HEADER = re.compile(r"^@@@ ([a-z0-9-]+) (en|fr)$")
SPAN = re.compile(r"\[\[([^\[\]|]+)\|([A-Z0-9]+)\]\]")


def parse(path):
    """Yield (id, language, body, line number of header) for each document."""
    doc = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = HEADER.match(line)
            if m:
                if doc:
                    yield doc
                doc = [m.group(1), m.group(2), [], n]
            elif line.startswith("@@@"):
                sys.exit(f"{path}:{n}: malformed header {line!r}")
            elif doc is None:
                if line.strip():
                    sys.exit(f"{path}:{n}: text before the first @@@ header")
            else:
                doc[2].append(line)
    if doc:
        yield doc


def build(path, doc_id, lang, lines, lineno):
    marked = "\n".join(lines).strip("\n")
    text, spans, pos = [], [], 0
    out_len = 0
    for m in SPAN.finditer(marked):
        plain = marked[pos:m.start()]
        text.append(plain)
        out_len += len(plain)
        value, label = m.group(1), m.group(2)
        if value != value.strip():
            sys.exit(f"{path}:{lineno}: {doc_id}: span value has outer spaces ({label})")
        spans.append({"value": value, "start": out_len, "end": out_len + len(value), "label": label})
        text.append(value)
        out_len += len(value)
        pos = m.end()
    text.append(marked[pos:])
    source = "".join(text)
    for bad in ("[[", "]]"):
        if bad in source:
            sys.exit(f"{path}:{lineno}: {doc_id}: unbalanced markup {bad!r} left after parsing")
    for s in spans:
        assert source[s["start"]:s["end"]] == s["value"]
    return {"id": doc_id, "language": lang, "source_text": source, "privacy_mask": spans}


def main():
    rows = []
    for name in SOURCES:
        path = os.path.join(HERE, name)
        for doc_id, lang, lines, lineno in parse(path):
            rows.append(build(name, doc_id, lang, lines, lineno))
    ids = [r["id"] for r in rows]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        sys.exit(f"duplicate ids: {sorted(dup)}")
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    out = os.path.join(HERE, OUTPUT)
    if "--check" in sys.argv[1:]:
        with open(out, encoding="utf-8") as f:
            if f.read() != body:
                sys.exit(f"{OUTPUT} is stale: run python3 testdata/realistic/build.py")
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write(body)
    total = sum(len(r["source_text"]) for r in rows)
    pii = sum(s["end"] - s["start"] for r in rows for s in r["privacy_mask"])
    labels = {}
    for r in rows:
        for s in r["privacy_mask"]:
            labels[s["label"]] = labels.get(s["label"], 0) + 1
    print(f"{len(rows)} documents ({sum(r['language'] == 'en' for r in rows)} en, "
          f"{sum(r['language'] == 'fr' for r in rows)} fr), {sum(len(r['privacy_mask']) for r in rows)} spans, "
          f"{sum(not r['privacy_mask'] for r in rows)} without PII")
    print(f"{total} code points, {pii} in PII spans: PII-free share {1 - pii / total:.4f}")
    for r in rows:
        words = len(re.findall(r"\w+", r["source_text"]))
        flag = "" if 40 <= words <= 300 else "  <-- outside 40-300 words"
        rp = sum(s["end"] - s["start"] for s in r["privacy_mask"])
        print(f"  {r['id']:<18} {words:4d} words  PII {rp / len(r['source_text']):.3f}{flag}")
    print("labels: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    main()
