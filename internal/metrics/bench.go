package metrics

import (
	"encoding/json"
	"fmt"
	"os"
)

// BenchResult is bench.json, written by `piimask bench`: speed by text length
// and sequential vs concurrent processing, per method. Every ratio compares
// two figures measured in the same run. The report can read it with ReadBench.
type BenchResult struct {
	Name       string        `json:"name"`
	GoVersion  string        `json:"go_version"`
	CPUs       int           `json:"cpus"`
	Tokenizer  string        `json:"tokenizer"`
	Methods    []BenchMethod `json:"methods"`
	StartedAt  string        `json:"started_at"`
	Seconds    float64       `json:"seconds"`
	Lengths    []string      `json:"lengths"`
	WorkerSets []int         `json:"workers"`
}

// BenchMethod is one method's figures.
type BenchMethod struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Lengths     []LengthResult `json:"lengths"`
	Concurrency []WorkerResult `json:"concurrency"`
}

// LengthResult is one text-length bucket, documents processed one at a time.
type LengthResult struct {
	Bucket        string  `json:"bucket"`
	Docs          int     `json:"docs"`
	MeanChars     float64 `json:"mean_chars"`
	MeanTokens    float64 `json:"mean_tokens"`
	P50Ms         float64 `json:"latency_p50_ms"`
	P95Ms         float64 `json:"latency_p95_ms"`
	DocsPerSecond float64 `json:"docs_per_second"`
	TokensPerSec  float64 `json:"tokens_per_second"`
	// LatencyRatio is this bucket's p50 over the first bucket's.
	LatencyRatio float64 `json:"latency_p50_ratio"`
	// TokensPerSecRatio is this bucket's tokens/s over the first bucket's.
	TokensPerSecRatio float64 `json:"tokens_per_second_ratio"`
}

// WorkerResult is one concurrency level.
type WorkerResult struct {
	Workers       int     `json:"workers"`
	Docs          int     `json:"docs"`
	Seconds       float64 `json:"seconds"`
	DocsPerSecond float64 `json:"docs_per_second"`
	// Speedup is DocsPerSecond over the first level's (normally 1 worker).
	Speedup float64 `json:"speedup"`
}

// ReadBench reads a bench.json.
func ReadBench(path string) (*BenchResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read bench result: %w", err)
	}
	var r BenchResult
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}
