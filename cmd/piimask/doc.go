// Command piimask evaluates and applies PII masking in batch jobs driven by
// YAML configs. Run `piimask --help` for the commands.
//
// Each subcommand is a thin cobra wrapper: it parses flags, loads the job
// config with jobs/config and hands it to the jobs package, which builds the
// pipeline (read → tokenize → detect → score/mask → write → report). The
// commands that are not batch jobs are serve (internal/server), validate
// (config checks without running), bench and deploy helpers.
package main
