// Package checkpoint keeps the resume state of a long job so that, after a
// crash or kill -9, the same command continues where it stopped and the
// final output is byte-identical to an uninterrupted run.
//
// The scheme: a job cuts its ordered output into numbered parts of a fixed
// number of documents. Each part's files are written under temporary names
// in a work directory and renamed into place when complete; only then is the
// part appended to checkpoint.json (itself replaced atomically). On restart
// the job skips the documents of the committed parts and redoes the rest: a
// part whose files were renamed but not yet recorded is simply written again
// with the same bytes. When every part is done, Assemble concatenates each
// kind of part file into its final output (again under a temporary name,
// then renamed), and the work directory is removed.
//
// Because part boundaries depend only on document numbers and masking is
// deterministic, the assembled output does not depend on where a run was
// interrupted. The fingerprint (a hash of the job's configuration and
// inputs) refuses to resume a work directory made by a different job.
//
// Main types: Store (Open: the work directory and checkpoint.json of one
// job; Commit, PartPath, Assemble),
// State (the committed parts and the fingerprint) and Part. Used by the mask
// job (jobs) around its write stage; internal/storage syncs the same files to
// object storage.
package checkpoint
