#!/usr/bin/env python3
"""Fine-tune a decoder LLM (Mistral, Llama, Qwen2 style) for PII token
classification with LoRA on piimask's prepared Parquet, merge the adapter and
export the merged model to ONNX in the layout the `onnx` method loads.

  python train_decoder_lora_token_classification.py \
      --model Qwen/Qwen2.5-0.5B \
      --train data/prepared/train.parquet --eval data/prepared/validation.parquet \
      --label-map data/prepared/label_map.json --output models/qwen-pii

The Parquet must have been prepared with this model's tokenizer.json. Output:
  <output>/merged/  the merged PyTorch checkpoint
  <output>/onnx/    model.onnx (+ model.onnx.data for models over 2 GB),
                    config.json (id2label, label2id), tokenizer.json
The ONNX graph takes int64 input_ids, attention_mask and position_ids
[batch, sequence] and returns logits [batch, sequence, num_labels]; no
token_type_ids. A decoder sees only the left context of each token: run it with
piimask's right-context window margin. Not run by CI; see README.md for GPU
memory needs.
"""

import argparse
import shutil
from pathlib import Path

from common import check_labels, check_model_dir, load_label_map, load_parquet, token_accuracy


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="decoder checkpoint: e.g. mistralai/Mistral-7B-v0.3, meta-llama/Llama-3.2-1B, Qwen/Qwen2.5-0.5B")
    p.add_argument("--train", required=True)
    p.add_argument("--eval")
    p.add_argument("--label-map", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--epochs", type=float, default=2)
    p.add_argument("--learning-rate", type=float, default=2e-4)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--grad-accum", type=int, default=4)
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument("--lora-alpha", type=int, default=32)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--target-modules", default="q_proj,k_proj,v_proj,o_proj",
                   help="comma-separated attention/MLP projections to adapt")
    p.add_argument("--load-in-4bit", action="store_true", help="QLoRA: base weights in 4-bit (bitsandbytes)")
    p.add_argument("--gradient-checkpointing", action="store_true")
    p.add_argument("--export-dtype", choices=["float32", "float16"], default="float32",
                   help="weights of the exported ONNX model (float16 halves its size; run it on GPU)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--opset", type=int, default=17)
    return p.parse_args()


def main():
    args = parse_args()
    import torch
    from peft import LoraConfig, TaskType, get_peft_model, prepare_model_for_kbit_training
    from transformers import (AutoModelForTokenClassification, AutoTokenizer, BitsAndBytesConfig,
                              DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed)

    set_seed(args.seed)
    id2label, label2id = load_label_map(args.label_map)
    ds = load_parquet(args.train, args.eval)
    check_labels(ds, len(id2label))

    tokenizer = AutoTokenizer.from_pretrained(args.model, use_fast=True)
    if not tokenizer.is_fast:
        raise SystemExit(f"{args.model} has no fast tokenizer (tokenizer.json); piimask needs one")
    if tokenizer.pad_token is None:  # Llama/Mistral ship none; padding is masked anyway
        tokenizer.pad_token = tokenizer.eos_token

    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    dtype = torch.bfloat16 if bf16 else torch.float32
    quant = None
    if args.load_in_4bit:
        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                   bnb_4bit_compute_dtype=dtype, bnb_4bit_use_double_quant=True)
    model = AutoModelForTokenClassification.from_pretrained(
        args.model, num_labels=len(id2label), id2label=id2label, label2id=label2id,
        torch_dtype=dtype, quantization_config=quant, device_map="auto" if torch.cuda.is_available() else None,
    )
    model.config.pad_token_id = tokenizer.pad_token_id
    if quant is not None:
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=args.gradient_checkpointing)
    elif args.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    # TOKEN_CLS keeps the new classification head ("score") fully trainable.
    lora = LoraConfig(task_type=TaskType.TOKEN_CLS, r=args.lora_r, lora_alpha=args.lora_alpha,
                      lora_dropout=args.lora_dropout, target_modules=args.target_modules.split(","))
    model = get_peft_model(model, lora)
    model.print_trainable_parameters()

    out = Path(args.output)
    training_args = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        warmup_ratio=0.03,
        lr_scheduler_type="cosine",
        eval_strategy="epoch" if args.eval else "no",
        save_strategy="epoch",
        save_total_limit=1,
        logging_steps=20,
        bf16=bf16,
        seed=args.seed,
        report_to="none",
    )
    trainer = Trainer(
        model=model, args=training_args, train_dataset=ds["train"],
        eval_dataset=ds["eval"] if args.eval else None,
        data_collator=DataCollatorForTokenClassification(tokenizer),
        compute_metrics=token_accuracy if args.eval else None,
    )
    trainer.train()
    if args.eval:
        print(trainer.evaluate())
    adapter_dir = out / "adapter"
    model.save_pretrained(str(adapter_dir))

    # Merge: reload the base in full precision (a 4-bit base cannot be merged exactly), apply the adapter.
    from peft import PeftModel

    del trainer, model
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    base = AutoModelForTokenClassification.from_pretrained(
        args.model, num_labels=len(id2label), id2label=id2label, label2id=label2id, torch_dtype=torch.float32)
    base.config.pad_token_id = tokenizer.pad_token_id
    merged = PeftModel.from_pretrained(base, str(adapter_dir)).merge_and_unload().eval()
    merged_dir = out / "merged"
    merged.save_pretrained(str(merged_dir))
    tokenizer.save_pretrained(str(merged_dir))

    export(merged, tokenizer, out / "onnx", args.opset, args.export_dtype)
    check_model_dir(out / "onnx")


def wrap_logits(model):
    """Wrap a token-classification model so the ONNX graph has exactly the decoder signature."""
    import torch

    class DecoderLogits(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, position_ids):
            return self.m(input_ids=input_ids, attention_mask=attention_mask,
                          position_ids=position_ids, use_cache=False).logits

    return DecoderLogits(model)


def export(model, tokenizer, onnx_dir, opset, export_dtype):
    """torch.onnx.export with dynamic batch/sequence axes, then config.json and tokenizer.json beside it."""
    import numpy as np
    import onnxruntime as ort
    import torch

    onnx_dir.mkdir(parents=True, exist_ok=True)
    if export_dtype == "float16":
        model = model.half()
    model = model.to("cuda" if torch.cuda.is_available() and export_dtype == "float16" else "cpu")
    model.config.use_cache = False
    enc = tokenizer(["Contact Jane Doe at jane.doe@example.com.", "Call +33 6 12 34 56 78"],
                    return_tensors="pt", padding=True)
    mask = enc["attention_mask"]
    # Hugging Face convention: positions count real tokens; padding gets 1.
    pos = (mask.cumsum(-1) - 1).clamp(min=0).masked_fill(mask == 0, 1)
    dev = next(model.parameters()).device
    inputs = (enc["input_ids"].to(dev), mask.to(dev), pos.to(dev))
    dyn = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
           "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    path = onnx_dir / "model.onnx"
    with torch.no_grad():
        torch.onnx.export(wrap_logits(model), inputs, str(path), input_names=list(dyn)[:3], output_names=["logits"],
                          dynamic_axes=dyn, opset_version=opset, do_constant_folding=True, dynamo=False)
    model.config.save_pretrained(str(onnx_dir))  # config.json with id2label / label2id
    tok_dir = onnx_dir / "_tokenizer"
    tokenizer.save_pretrained(str(tok_dir))
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (tok_dir / name).exists():
            shutil.move(str(tok_dir / name), str(onnx_dir / name))
    shutil.rmtree(tok_dir)

    # Check the export against PyTorch on the padded batch (real tokens only).
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {"input_ids": inputs[0].cpu().numpy(), "attention_mask": inputs[1].cpu().numpy(),
             "position_ids": inputs[2].cpu().numpy()}
    got = sess.run(["logits"], feeds)[0].astype(np.float32)
    with torch.no_grad():
        want = wrap_logits(model)(*inputs).float().cpu().numpy()
    real = feeds["attention_mask"].astype(bool)
    diff = float(np.abs(got[real] - want[real]).max())
    print(f"ONNX vs PyTorch max |logit difference| = {diff:.2e}")
    if diff > (5e-2 if export_dtype == "float16" else 1e-3):
        raise SystemExit("the ONNX export disagrees with the PyTorch model")


if __name__ == "__main__":
    main()
