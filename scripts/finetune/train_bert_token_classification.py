#!/usr/bin/env python3
"""Fine-tune a BERT-like encoder for PII token classification on piimask's
prepared Parquet and export it to ONNX in the layout the `onnx` method loads.

  python train_bert_token_classification.py \
      --model bert-base-multilingual-cased \
      --train data/prepared/train.parquet --eval data/prepared/validation.parquet \
      --label-map data/prepared/label_map.json --output models/mbert-pii

The Parquet must have been prepared with the same model's tokenizer.json (the
ids are used as they are). Output:
  <output>/hf/      the fine-tuned PyTorch checkpoint (Trainer format)
  <output>/onnx/    model.onnx, config.json (id2label, label2id), tokenizer.json
Point a piimask job's `onnx` method at <output>/onnx. Not run by CI.
"""

import argparse
from pathlib import Path

from common import check_labels, check_model_dir, load_label_map, load_parquet, token_accuracy


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="Hugging Face model id or local path (BERT, DistilBERT, RoBERTa, DeBERTa, XLM-R)")
    p.add_argument("--train", required=True, help="prepared training Parquet")
    p.add_argument("--eval", help="prepared evaluation Parquet (optional)")
    p.add_argument("--label-map", required=True, help="label_map.json written by `prepare`")
    p.add_argument("--output", required=True, help="output directory")
    p.add_argument("--epochs", type=float, default=3)
    p.add_argument("--learning-rate", type=float, default=5e-5)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--warmup-ratio", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--fp16", action="store_true", help="mixed precision (GPU)")
    p.add_argument("--opset", type=int, default=17)
    return p.parse_args()


def main():
    args = parse_args()
    import torch
    from transformers import (AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification,
                              Trainer, TrainingArguments, set_seed)

    set_seed(args.seed)
    id2label, label2id = load_label_map(args.label_map)
    ds = load_parquet(args.train, args.eval)
    check_labels(ds, len(id2label))

    tokenizer = AutoTokenizer.from_pretrained(args.model, use_fast=True)
    if not tokenizer.is_fast:
        raise SystemExit(f"{args.model} has no fast tokenizer (tokenizer.json); piimask needs one")
    model = AutoModelForTokenClassification.from_pretrained(
        args.model, num_labels=len(id2label), id2label=id2label, label2id=label2id,
        ignore_mismatched_sizes=True,  # replace any existing classification head
    )

    out = Path(args.output)
    hf_dir, onnx_dir = out / "hf", out / "onnx"
    training_args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        weight_decay=args.weight_decay,
        warmup_ratio=args.warmup_ratio,
        eval_strategy="epoch" if args.eval else "no",
        save_strategy="epoch",
        save_total_limit=1,
        logging_steps=50,
        seed=args.seed,
        fp16=args.fp16 and torch.cuda.is_available(),
        report_to="none",
    )
    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=ds["train"],
        eval_dataset=ds["eval"] if args.eval else None,
        # Pads input_ids with the tokenizer's pad id, attention_mask with 0, labels with -100.
        data_collator=DataCollatorForTokenClassification(tokenizer),
        compute_metrics=token_accuracy if args.eval else None,
    )
    trainer.train()
    if args.eval:
        print(trainer.evaluate())
    trainer.save_model(str(hf_dir))
    tokenizer.save_pretrained(str(hf_dir))

    # Export with Optimum: model.onnx (inputs input_ids, attention_mask[, token_type_ids];
    # output logits [batch, sequence, num_labels], dynamic axes), config.json and tokenizer files.
    from optimum.exporters.onnx import main_export

    main_export(model_name_or_path=str(hf_dir), output=str(onnx_dir), task="token-classification", opset=args.opset)
    verify(hf_dir, onnx_dir, tokenizer)
    check_model_dir(onnx_dir)


def verify(hf_dir, onnx_dir, tokenizer):
    """Compare PyTorch and ONNX Runtime logits on one sentence."""
    import numpy as np
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForTokenClassification

    model = AutoModelForTokenClassification.from_pretrained(str(hf_dir)).eval()
    enc = tokenizer("Contact Jane Doe at jane.doe@example.com or +33 6 12 34 56 78.", return_tensors="np")
    sess = ort.InferenceSession(str(onnx_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    names = {i.name for i in sess.get_inputs()}
    feeds = {k: v.astype(np.int64) for k, v in enc.items() if k in names}
    got = sess.run(["logits"], feeds)[0]
    with torch.no_grad():
        want = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).logits.numpy()
    diff = float(np.abs(got - want).max())
    print(f"ONNX vs PyTorch max |logit difference| = {diff:.2e}")
    if diff > 1e-3:
        raise SystemExit("the ONNX export disagrees with the PyTorch model")


if __name__ == "__main__":
    main()
