package rules

import "github.com/piimask/piimask/labels"

func labelsKnown(c string) bool { return labels.Known(c) }
