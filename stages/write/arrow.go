package write

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/parquet-go/parquet-go"
)

// SpanType is the Arrow type of one predicted span.
var spanType = arrow.StructOf(
	arrow.Field{Name: "start", Type: arrow.PrimitiveTypes.Int64},
	arrow.Field{Name: "end", Type: arrow.PrimitiveTypes.Int64},
	arrow.Field{Name: "label", Type: arrow.BinaryTypes.String},
	arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64},
)

// PredictionSchema is the Arrow schema of a prediction file: the
// PredictionRow contract, spans as list<struct>.
func PredictionSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "method", Type: arrow.BinaryTypes.String},
		{Name: "language", Type: arrow.BinaryTypes.String},
		{Name: "spans", Type: arrow.ListOf(spanType)},
		{Name: "masked_text", Type: arrow.BinaryTypes.String},
		{Name: "failure", Type: arrow.BinaryTypes.String},
	}, nil)
}

// PredictionTable is the columnar layout of prediction files: Parquet
// (zstd) from the PredictionRow tags, a batch per Parquet write call, and
// PredictionSchema for Arrow.
func PredictionTable() Table[PredictionRow] {
	return Table[PredictionRow]{
		Parquet:       ParquetStructs(func(r PredictionRow) PredictionRow { return r }, true, parquet.Compression(&parquet.Zstd)),
		Arrow:         PredictionSchema(),
		ArrowAppender: appendPrediction,
	}
}

// appendPrediction binds the builders of a PredictionSchema record.
func appendPrediction(b *array.RecordBuilder) func(PredictionRow) {
	id := b.Field(0).(*array.StringBuilder)
	method := b.Field(1).(*array.StringBuilder)
	lang := b.Field(2).(*array.StringBuilder)
	spans := b.Field(3).(*array.ListBuilder)
	masked := b.Field(4).(*array.StringBuilder)
	failure := b.Field(5).(*array.StringBuilder)
	span := spans.ValueBuilder().(*array.StructBuilder)
	start := span.FieldBuilder(0).(*array.Int64Builder)
	end := span.FieldBuilder(1).(*array.Int64Builder)
	label := span.FieldBuilder(2).(*array.StringBuilder)
	score := span.FieldBuilder(3).(*array.Float64Builder)
	return func(r PredictionRow) {
		id.Append(r.ID)
		method.Append(r.Method)
		lang.Append(r.Language)
		spans.Append(true)
		for _, s := range r.Spans {
			span.Append(true)
			start.Append(s.Start)
			end.Append(s.End)
			label.Append(s.Label)
			score.Append(s.Score)
		}
		masked.Append(r.MaskedText)
		failure.Append(r.Failure)
	}
}
