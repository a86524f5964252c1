// Package onnxpb holds the Go types of the ONNX protobuf schema (onnx-ml.proto,
// Apache-2.0, copied from github.com/gomlx/onnx-gomlx v0.3.4
// internal/protos/onnx-ml.proto with the proto package renamed to
// piimask.onnxpb so it cannot clash with another copy in the same binary).
//
// onnx-ml.pb.go is generated and committed, so builds need no protoc. To
// regenerate (Debian protobuf-compiler 3.21.12, protoc-gen-go v1.36.12):
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//	cd internal/onnxgraph/onnxpb && protoc --go_out=. --go_opt=paths=source_relative onnx-ml.proto
package onnxpb
