// Package dataset writes the outputs of the prepare job: the deterministic
// train/validation/test split, the token-classification dataset (Parquet and
// Arrow IPC, one file per split), label_map.json, the dataset card and the
// LLM fine-tuning JSONL files.
package dataset
