// Package train trains piimask's own token classifiers on CPU, in pure Go,
// and writes them as standard ONNX models in the Hugging Face Optimum
// directory layout (model.onnx, config.json, tokenizer.json).
//
// The architecture is onnxgraph.WindowMLP: a token embedding, a window of
// neighbouring tokens (±k for the BERT-like Encoder, the previous k for the
// Decoder variant), a ReLU hidden layer and a linear classifier. Forward and
// backward passes are written by hand rather than with gomlx: the model is a
// tiny MLP, and the hand-written loop trains about 2.5× faster than gomlx's
// pure-Go backend did on a comparable model (about 33k labelled tokens/s on one
// core at the default size, embed 32, hidden 128, window ±2, 109 labels,
// against ~13.5k tokens/s measured for gomlx simplego on Embedding→Dense(128)→
// Dense); it exploits the sparsity of embedding gradients (lazy Adam touches
// only the rows a batch used, which matters with 100k-token vocabularies); it
// needs no large dependency; and it is deterministic by construction: a
// seeded PCG drives initialisation and batch order, and each batch's gradient
// is summed over a fixed number of shards in a fixed order, whatever the
// number of goroutines. A finite-difference test checks the gradients.
//
// The second architecture, onnxgraph.ConvTagger (TrainConv: stacked dilated
// convolutions over token embeddings and fixed word features, im2col and GEMM
// per layer), shares the same loop, sharded Adam step and determinism rule.
//
// Main types: Config, Example, Weights and ConvWeights (trained models), Stats
// and Step (progress), Eval (token accuracy), HFConfig (config.json) and
// Vocabulary/Dictionary (the conv model's feature table). The train job
// (jobs) feeds it stages/dataset's examples; WriteModelDir writes the
// directory stages/detect/onnx loads.
package train
