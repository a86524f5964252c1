// Package write holds piimask's output writers, the last stage of the
// evaluate, prepare and mask pipelines. Every file is written under a
// temporary name in its destination directory and renamed into place only
// when complete, so a crash or Ctrl-C never leaves a half-written output.
//
// BatchWriter is the one batched Parquet / Arrow writer: a Table describes a
// row type's layout once (PredictionTable, MirrorTable, the dataset's token
// table), and row groups or record batches end every WithBatchRows rows or
// at Flush. ".arrow" is the Arrow IPC stream format, ".feather" the IPC file
// format. Also here: JSONL writers, the prediction writers of an evaluate
// run, and ParquetMirror, which copies an input Parquet file's schema with
// its text column masked.
package write
