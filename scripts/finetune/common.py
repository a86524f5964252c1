"""Shared helpers for the piimask fine-tuning scripts (not run by CI).

The `prepare` job writes Parquet files with one row per token window:
  input_ids       list<int>   token ids from the model's tokenizer.json
  attention_mask  list<int>   1 for real tokens
  labels          list<int>   BIO label ids, -100 for tokens without a label
and a label_map.json: {"id2label": {"0": "O", ...}, "label2id": {"O": 0, ...}}.
"""

import json
import os
from pathlib import Path

import numpy as np


def load_label_map(path):
    """Return (id2label {int: str}, label2id {str: int}) from label_map.json."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if "id2label" not in data:
        raise SystemExit(f"{path}: no id2label object")
    id2label = {int(k): v for k, v in data["id2label"].items()}
    n = len(id2label)
    if sorted(id2label) != list(range(n)):
        raise SystemExit(f"{path}: id2label keys must be 0..{n - 1}")
    label2id = {v: k for k, v in id2label.items()}
    if len(label2id) != n:
        raise SystemExit(f"{path}: a label appears twice in id2label")
    return id2label, label2id


def load_parquet(train, eval_path=None):
    """Load the prepared Parquet files as a datasets.DatasetDict."""
    from datasets import load_dataset

    files = {"train": train}
    if eval_path:
        files["eval"] = eval_path
    ds = load_dataset("parquet", data_files=files)
    for split in ds.values():
        missing = {"input_ids", "attention_mask", "labels"} - set(split.column_names)
        if missing:
            raise SystemExit(f"Parquet is missing columns {sorted(missing)}")
    extra = [c for c in ds["train"].column_names if c not in ("input_ids", "attention_mask", "labels")]
    return ds.remove_columns(extra) if extra else ds


def check_labels(ds, num_labels):
    """Fail early when a label id is outside the label map."""
    for name, split in ds.items():
        for row, labels in enumerate(split["labels"]):
            bad = [l for l in labels if l != -100 and not 0 <= l < num_labels]
            if bad:
                raise SystemExit(f"{name} row {row}: label {bad[0]} outside 0..{num_labels - 1}")


def token_accuracy(eval_pred):
    """Trainer compute_metrics: token accuracy and entity-token recall, -100 skipped."""
    logits, labels = eval_pred
    pred = np.argmax(logits, axis=-1)
    keep = labels != -100
    ent = keep & (labels != 0)
    return {
        "token_accuracy": float((pred[keep] == labels[keep]).mean()) if keep.any() else 0.0,
        "entity_token_recall": float((pred[ent] == labels[ent]).mean()) if ent.any() else 0.0,
    }


def check_model_dir(out_dir):
    """Check the layout piimask's `onnx` method loads: model.onnx, config.json with id2label, tokenizer.json."""
    out = Path(out_dir)
    for name in ("model.onnx", "config.json", "tokenizer.json"):
        if not (out / name).is_file():
            raise SystemExit(f"export incomplete: {out / name} is missing")
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    if not cfg.get("id2label"):
        raise SystemExit(f"{out / 'config.json'} has no id2label")
    print(f"model directory ready: {os.fspath(out)} ({len(cfg['id2label'])} labels)")
