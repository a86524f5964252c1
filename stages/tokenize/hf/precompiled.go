package hf

import "fmt"

type precompiled struct{}

func parsePrecompiled(s string) (*precompiled, error) { return nil, fmt.Errorf("not implemented") }

func (p *precompiled) normalize(n *normStr) error { return nil }
