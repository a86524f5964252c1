package mask_test

import (
	"fmt"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/mask"
)

func ExamplePlaceholder() {
	text := "Zoé écrit à Léa, puis Zoé appelle le 06 12 34 56 78."
	spans := []record.Span{
		{Start: 0, End: 3, Label: "FIRSTNAME"},
		{Start: 12, End: 15, Label: "FIRSTNAME"},
		{Start: 22, End: 25, Label: "FIRSTNAME"},
		{Start: 37, End: 51, Label: "PHONENUMBER"},
	}
	fmt.Println(mask.Placeholder(text, spans))
	// Output: [FIRSTNAME_1] écrit à [FIRSTNAME_2], puis [FIRSTNAME_1] appelle le [PHONENUMBER_1].
}
