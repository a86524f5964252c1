package config

// Report configures the HTML and Markdown report: the report job
// (kind: report) and the report written at the end of an evaluate run.
type Report struct {
	// Results are evaluate result directories to report on (report job;
	// default: output.dir). Methods of several directories are shown side
	// by side; a name used in more than one is prefixed with its directory.
	Results []string `yaml:"results"`
	// Title heads the report (default: the job name).
	Title string `yaml:"title"`
	// ShowPII shows gold PII in example errors; by default every piece of
	// gold PII in an example's context is replaced by [LABEL].
	ShowPII bool `yaml:"show_pii"`
	// Examples is the number of example errors kept per method and error
	// kind (default 5; a negative number: none).
	Examples int `yaml:"examples"`
	// Context is the number of characters shown either side of an example
	// error (default 40).
	Context int `yaml:"context"`
	// WorstClasses is the number of worst classes listed per method
	// (default 5).
	WorstClasses int `yaml:"worst_classes"`
	// Disabled turns the report at the end of evaluate off.
	Disabled bool `yaml:"disabled"`
	// Bench lists bench.json files written by `piimask bench`; each becomes a
	// "Speed and concurrency" section of the report.
	Bench []string `yaml:"bench"`
}
