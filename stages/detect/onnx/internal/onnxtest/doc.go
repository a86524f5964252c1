// Package onnxtest writes tiny token-classification ONNX models and a small
// WordPiece-style tokenizer for the onnx method's tests and benchmarks.
//
// The graph (opset 17, IR 8) is
//
//	h = E[input_ids] (+ T[token_type_ids]) (+ P[position_ids])
//	h = h * float(attention_mask)[..., None]
//	h = relu(h·W1 + b1)            (only when Hidden > 0)
//	logits = h·W2 + b2             [batch, seq, labels]
//
// with dynamic batch and seq dimensions, written with protowire field numbers
// from onnx.proto.
package onnxtest
