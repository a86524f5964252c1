package rules

import "github.com/piimask/piimask/stages/labels"

func labelsKnown(c string) bool { return labels.Known(c) }
