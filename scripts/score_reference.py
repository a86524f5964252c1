#!/usr/bin/env python3
"""Independent reference scorer for piimask's stages/score (Python 3 stdlib only).

Reads JSON lines {"id", "language", "gold": [[start, end, label], ...],
"pred": [...]} (code-point offsets, exclusive end) from the file given as the
first argument (or stdin) and prints the summed counts as JSON in the layout of
score.Counts: strict TP/gold/pred over de-duplicated spans, exact-match
documents, nervaluate 1.0 schema counts (strict, exact, partial, ent_type)
overall and per class, a confusion matrix over overlapping spans, and the
leaked gold code points.

The nervaluate strategies are re-implemented from nervaluate 1.0's
strategies.py on entities with inclusive ends, in the order sorted by
(start, end, label); overlap needs >= 1% of the gold span
(min_overlap_percentage=1.0). Strict counts use Python sets; overlaps and
leaks use sets of code-point positions.
"""

import json
import sys

SCHEMAS = ("strict", "exact", "partial", "ent_type")
MIN_OVERLAP_PERCENTAGE = 1.0


def zero_schema():
    return {"cor": 0, "inc": 0, "par": 0, "mis": 0, "spu": 0}


def zero_totals():
    return {
        "docs": 0,
        "exact_match_docs": 0,
        "gold": 0,
        "pred": 0,
        "tp": 0,
        "schemas": {s: zero_schema() for s in SCHEMAS},
        "gold_code_points": 0,
        "leaked_code_points": 0,
    }


def add_schema(dst, src):
    for k in dst:
        dst[k] += src[k]


def add_totals(dst, src):
    for k in ("docs", "exact_match_docs", "gold", "pred", "tp", "gold_code_points", "leaked_code_points"):
        dst[k] += src[k]
    for s in SCHEMAS:
        add_schema(dst["schemas"][s], src["schemas"][s])


def overlap_pct(pred, true):
    # Entities are (label, start, end) with an inclusive end.
    if pred[1] > true[2] or pred[2] < true[1]:
        return 0.0
    ov = min(pred[2], true[2]) - max(pred[1], true[1]) + 1
    true_len = true[2] - true[1] + 1
    if ov <= 0 or true_len <= 0:
        return 0.0
    return ov / true_len * 100.0


def sufficient(pred, true):
    return overlap_pct(pred, true) >= MIN_OVERLAP_PERCENTAGE


def boundary_match(schema, pred, true):
    same = pred[1] == true[1] and pred[2] == true[2]
    if schema == "strict":
        return same and pred[0] == true[0]
    return same


def strategy(schema, trues, preds):
    res = zero_schema()
    matched = set()
    for pred in preds:
        hit = None
        other = None
        if schema in ("strict", "exact"):
            for i, true in enumerate(trues):
                if i in matched:
                    continue
                if boundary_match(schema, pred, true):
                    hit = i
                    break
                if other is None and sufficient(pred, true):
                    other = i
        elif schema == "partial":
            for i, true in enumerate(trues):
                if i in matched or not sufficient(pred, true):
                    continue
                if pred[1] == true[1] and pred[2] == true[2]:
                    hit = i
                    break
                if other is None:
                    other = i
        else:  # ent_type: closest boundaries among same-label overlaps
            best = None
            for i, true in enumerate(trues):
                if i in matched or not sufficient(pred, true):
                    continue
                dist = abs(pred[1] - true[1]) + abs(pred[2] - true[2])
                if pred[0] == true[0]:
                    if best is None or dist < best:
                        hit, best = i, dist
                elif other is None:
                    other = i
        if hit is not None:
            res["cor"] += 1
            matched.add(hit)
        elif other is not None:
            res["par" if schema == "partial" else "inc"] += 1
            matched.add(other)
        else:
            res["spu"] += 1
    res["mis"] = len(trues) - len(matched)
    return res


def entities(keys):
    return sorted(((lab, s, e - 1) for (s, e, lab) in keys), key=lambda x: (x[1], x[2], x[0]))


def positions(keys):
    out = set()
    for s, e, _ in keys:
        out.update(range(s, e))
    return out


def score(lines):
    total = zero_totals()
    total["version"] = 2  # counts layout; the views (pii, groups, characters, tokens) are not computed here
    classes = {}
    confusion = {}
    languages = {}

    def cls(label):
        if label not in classes:
            classes[label] = {"gold": 0, "pred": 0, "tp": 0, "schemas": {s: zero_schema() for s in SCHEMAS}}
        return classes[label]

    def bump(g, p):
        row = confusion.setdefault(g, {})
        row[p] = row.get(p, 0) + 1

    for lineno, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as err:
            raise SystemExit(f"line {lineno}: invalid JSON: {err}")
        gold = {(s, e, lab) for s, e, lab in doc["gold"]}
        pred = {(s, e, lab) for s, e, lab in doc["pred"]}
        t = zero_totals()
        t["docs"] = 1
        t["gold"], t["pred"] = len(gold), len(pred)
        t["tp"] = len(gold & pred)
        t["exact_match_docs"] = 1 if gold == pred else 0
        for s, e, lab in gold:
            cls(lab)["gold"] += 1
        for s, e, lab in pred:
            cls(lab)["pred"] += 1
        for s, e, lab in gold & pred:
            cls(lab)["tp"] += 1

        trues, preds = entities(gold), entities(pred)
        for sch in SCHEMAS:
            t["schemas"][sch] = strategy(sch, trues, preds)
        for lab in {k[2] for k in gold | pred}:
            tl = [x for x in trues if x[0] == lab]
            pl = [x for x in preds if x[0] == lab]
            for sch in SCHEMAS:
                add_schema(cls(lab)["schemas"][sch], strategy(sch, tl, pl))

        gpos, ppos = positions(gold), positions(pred)
        t["gold_code_points"] = len(gpos)
        t["leaked_code_points"] = len(gpos - ppos)

        pred_hit = set()
        for g in gold:
            gp = set(range(g[0], g[1]))
            hit = False
            for p in pred:
                if gp & set(range(p[0], p[1])):
                    bump(g[2], p[2])
                    hit = True
                    pred_hit.add(p)
            if not hit:
                bump(g[2], "MISSED")
        for p in pred - pred_hit:
            bump("SPURIOUS", p[2])

        add_totals(total, t)
        lang = doc.get("language") or "und"
        add_totals(languages.setdefault(lang, zero_totals()), t)

    total["classes"] = classes
    total["confusion"] = confusion
    total["languages"] = languages
    return total


def main():
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as f:
            result = score(f)
    else:
        result = score(sys.stdin)
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
