// Package ensemble is the detection method that combines other methods
// (type "ensemble"): it runs its member methods on each batch, combines
// their spans under an ensemble mode and resolves overlaps with the same
// rule the mask job applies (stages/mask.Combine and ResolveCandidates), so
// that an evaluate job scores exactly the spans a mask job would mask
// (before the mask job's own include/exclude/min-score/allow/deny
// selection).
//
// Options:
//
//	mode: union | majority | priority   # default union
//	methods:                            # the members, in priority order
//	  - name: rules
//	    type: rules
//	  - name: baseline
//	    type: onnx
//	    options: {model: builtin:baseline}
//
// Members are inline method specs (name, type, options), built with the
// job's registry and label set, and owned by the ensemble (closed with it).
// Validated spans (record.Span.Validated, e.g. the rules method's e-mails
// and IBANs) are never split, shortened or relabelled by a model span; see
// mask.ResolveCandidates. The output spans keep Validated, so an ensemble
// can itself be a member.
//
// Main types: Method, Options (mode and members) and Member; Register adds the
// type to a detect.Registry.
package ensemble
