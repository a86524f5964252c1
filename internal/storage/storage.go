package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	gcaws "gocloud.dev/aws"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// URLs
	"gocloud.dev/blob/s3blob"
	"gocloud.dev/gcerrors"
)

// ManifestName is the object written last under an output prefix when a run
// finished: its presence means every object it lists is complete.
const ManifestName = "_piimask_manifest.json"

// checkpointName is the file the parts' commit order hinges on
// (internal/checkpoint.FileName).
const checkpointName = "checkpoint.json"

// IsURL reports whether s names object storage (s3:// or file://) rather
// than a local path.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "s3://") || strings.HasPrefix(s, "file://")
}

// Location is a bucket and a key prefix inside it.
type Location struct {
	Bucket *blob.Bucket
	Prefix string // no leading or trailing slash; "" for the bucket's root
	URL    string // as given, for messages (query parameters dropped)
	scheme string
	host   string
}

// Open opens the bucket of an s3:// or file:// URL. s3://bucket/key?opts
// opens s3://bucket?opts (opts as gocloud.dev/aws documents: region,
// endpoint, use_path_style, disable_https…; credentials from the AWS
// environment) with key as the prefix; file:///dir/key opens the file
// system's root with dir/key as the prefix.
func Open(ctx context.Context, raw string) (*Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("storage: %q: %w", raw, err)
	}
	shown := u.Scheme + "://" + u.Host + u.Path
	var bucketURL, prefix string
	switch u.Scheme {
	case "s3":
		if u.Host == "" {
			return nil, fmt.Errorf("storage: %s: no bucket name", shown)
		}
		prefix = strings.Trim(u.Path, "/")
	case "file":
		if u.Host != "" {
			return nil, fmt.Errorf("storage: %s: want file:///absolute/path", shown)
		}
		bucketURL = "file:///?metadata=skip"
		prefix = strings.Trim(u.Path, "/")
	default:
		return nil, fmt.Errorf("storage: %s: unsupported scheme %q (s3, file)", shown, u.Scheme)
	}
	var b *blob.Bucket
	if u.Scheme == "s3" {
		b, err = openS3(ctx, u.Host, u.Query())
	} else {
		b, err = blob.OpenBucket(ctx, bucketURL)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", shown, err)
	}
	return &Location{Bucket: b, Prefix: prefix, URL: shown, scheme: u.Scheme, host: u.Host}, nil
}

// openS3 opens an S3 bucket as gocloud.dev's s3blob URL opener does (the
// same query parameters: use_path_style, disable_https, and those of
// gocloud.dev/aws.V2ConfigFromURLParams), with the AWS SDK's warning about
// multipart objects having no whole-object checksum turned off: every
// object piimask uploads in parts would log it on each read.
func openS3(ctx context.Context, bucket string, q url.Values) (*blob.Bucket, error) {
	var opts []func(*s3.Options)
	for _, key := range []string{"use_path_style", "s3ForcePathStyle", "disable_https"} {
		v := q.Get(key)
		if v == "" {
			continue
		}
		q.Del(key)
		on, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%s=%q: %w", key, v, err)
		}
		if key == "disable_https" {
			opts = append(opts, func(o *s3.Options) { o.EndpointOptions.DisableHTTPS = on })
		} else {
			opts = append(opts, func(o *s3.Options) { o.UsePathStyle = on })
		}
	}
	cfg, err := gcaws.V2ConfigFromURLParams(ctx, q)
	if err != nil {
		return nil, err
	}
	opts = append(opts, func(o *s3.Options) { o.DisableLogOutputChecksumValidationSkipped = true })
	return s3blob.OpenBucket(ctx, s3.NewFromConfig(cfg, opts...), bucket, nil)
}

// Close closes the bucket.
func (l *Location) Close() error { return l.Bucket.Close() }

// key joins the prefix and a relative slash path.
func (l *Location) key(rel string) string {
	if l.Prefix == "" {
		return rel
	}
	return l.Prefix + "/" + rel
}

// Sub is the location of a sub-prefix (same bucket).
func (l *Location) Sub(rel string) *Location {
	c := *l
	c.Prefix = strings.Trim(l.key(rel), "/")
	c.URL = strings.TrimSuffix(l.URL, "/") + "/" + rel
	return &c
}

// list returns every object under the prefix (as a directory), keys
// relative to it.
func (l *Location) list(ctx context.Context) (map[string]*blob.ListObject, error) {
	out := map[string]*blob.ListObject{}
	p := l.Prefix
	if p != "" {
		p += "/"
	}
	it := l.Bucket.List(&blob.ListOptions{Prefix: p})
	for {
		o, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("storage: list %s: %w", l.URL, err)
		}
		if !o.IsDir {
			out[strings.TrimPrefix(o.Key, p)] = o
		}
	}
}

// download streams one object into a local file, atomically (temporary name,
// then rename), and gives it the object's modification time.
func download(ctx context.Context, b *blob.Bucket, key, dst string, mod time.Time) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	r, err := b.NewReader(ctx, key, nil)
	if err != nil {
		return fmt.Errorf("storage: read %s: %w", key, err)
	}
	defer r.Close()
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("storage: read %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if !mod.IsZero() {
		if err := os.Chtimes(f.Name(), mod, mod); err != nil {
			return err
		}
	}
	return os.Rename(f.Name(), dst)
}

// upload streams a local file (or data when not nil) to key; s3blob sends
// large files as a multipart upload, visible only once complete.
func upload(ctx context.Context, b *blob.Bucket, key, src string, data []byte) error {
	w, err := b.NewWriter(ctx, key, &blob.WriterOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("storage: write %s: %w", key, err)
	}
	if data != nil {
		_, err = w.Write(data)
	} else {
		var f *os.File
		if f, err = os.Open(src); err == nil {
			_, err = io.Copy(w, f)
			f.Close()
		}
	}
	if err != nil {
		w.Close()
		return fmt.Errorf("storage: write %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("storage: write %s: %w", key, err)
	}
	return nil
}

// FetchInput makes an input URL local: a single object becomes one file, a
// prefix (a URL ending in /, or one naming no object) a directory tree,
// under cacheDir/<scheme>/<bucket>/<key>. A file already there with the
// object's size and modification time is not fetched again. It returns the
// local path to give the job.
func FetchInput(ctx context.Context, raw, cacheDir string) (string, error) {
	loc, err := Open(ctx, raw)
	if err != nil {
		return "", err
	}
	defer loc.Close()
	local := filepath.Join(cacheDir, loc.scheme, loc.host, filepath.FromSlash(loc.Prefix))
	get := func(key, dst string, size int64, mod time.Time) error {
		if st, err := os.Stat(dst); err == nil && st.Size() == size && st.ModTime().Equal(mod) {
			return nil
		}
		return download(ctx, loc.Bucket, key, dst, mod)
	}
	if !strings.HasSuffix(raw, "/") && loc.Prefix != "" {
		a, err := loc.Bucket.Attributes(ctx, loc.Prefix)
		if err == nil {
			return local, get(loc.Prefix, local, a.Size, a.ModTime)
		}
		if gcerrors.Code(err) != gcerrors.NotFound {
			return "", fmt.Errorf("storage: %s: %w", loc.URL, err)
		}
	}
	objs, err := loc.list(ctx)
	if err != nil {
		return "", err
	}
	if len(objs) == 0 {
		return "", fmt.Errorf("storage: input %s: no such object or prefix", loc.URL)
	}
	for _, rel := range slices.Sorted(mapsKeys(objs)) {
		o := objs[rel]
		if err := get(o.Key, filepath.Join(local, filepath.FromSlash(rel)), o.Size, o.ModTime); err != nil {
			return "", err
		}
	}
	return local, nil
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// stamp is what a file was when it was last uploaded.
type stamp struct {
	size int64
	mod  time.Time
}

// Output is a job's output URL with its local staging directory.
type Output struct {
	loc   *Location
	local string
	log   *slog.Logger
	mu    sync.Mutex
	sent  map[string]stamp // relative slash path → last uploaded state
	stop  chan struct{}
	done  chan struct{}
	bytes int64
}

// OpenOutput opens an output URL staged in local: it removes the
// manifest of a previous run (this run is now in progress) and pulls the
// resume state (.work/) into local.
func OpenOutput(ctx context.Context, raw, local string, log *slog.Logger) (*Output, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	loc, err := Open(ctx, raw)
	if err != nil {
		return nil, err
	}
	o := &Output{loc: loc, local: local, log: log, sent: map[string]stamp{}}
	if err := loc.Bucket.Delete(ctx, loc.key(ManifestName)); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		loc.Close()
		return nil, fmt.Errorf("storage: %s: remove the previous manifest: %w", loc.URL, err)
	}
	objs, err := loc.list(ctx)
	if err != nil {
		loc.Close()
		return nil, err
	}
	pulled := 0
	for rel, ob := range objs {
		if !isWork(rel) {
			continue
		}
		dst := filepath.Join(local, filepath.FromSlash(rel))
		if err := download(ctx, loc.Bucket, ob.Key, dst, ob.ModTime); err != nil {
			loc.Close()
			return nil, err
		}
		if st, err := os.Stat(dst); err == nil {
			o.sent[rel] = stamp{st.Size(), st.ModTime()}
		}
		pulled++
	}
	if pulled > 0 {
		log.Info("resume state pulled from object storage", "url", loc.URL, "files", pulled)
	}
	return o, nil
}

// isWork reports whether rel is part of a resume state (a .work directory).
func isWork(rel string) bool {
	return rel == ".work" || strings.HasPrefix(rel, ".work/") || strings.Contains(rel, "/.work/")
}

// isTemp reports whether a file is a writer's temporary file (never uploaded).
func isTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

// localFiles lists the staging directory's complete files (relative slash
// paths), temporary files left out.
func (o *Output) localFiles() (map[string]stamp, error) {
	out := map[string]stamp{}
	err := filepath.WalkDir(o.local, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() || isTemp(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // renamed or removed meanwhile
			}
			return err
		}
		rel, _ := filepath.Rel(o.local, p)
		out[filepath.ToSlash(rel)] = stamp{info.Size(), info.ModTime()}
		return nil
	})
	return out, err
}

// Sync uploads every file that changed since its last upload. Checkpoint
// files are read first and uploaded last, so the bucket's checkpoint only
// names parts already in the bucket.
func (o *Output) Sync(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sync(ctx)
}

func (o *Output) sync(ctx context.Context) error {
	files, err := o.localFiles()
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	checkpoints := map[string][]byte{}
	for rel := range files {
		if path.Base(rel) == checkpointName && isWork(rel) {
			data, err := os.ReadFile(filepath.Join(o.local, filepath.FromSlash(rel)))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err == nil {
				checkpoints[rel] = data
			}
		}
	}
	vanished := map[string]bool{} // directories a file disappeared from during this sync
	for _, rel := range slices.Sorted(mapsKeys(files)) {
		st := files[rel]
		if _, ck := checkpoints[rel]; ck || o.sent[rel] == st {
			continue
		}
		err := upload(ctx, o.loc.Bucket, o.loc.key(rel), filepath.Join(o.local, filepath.FromSlash(rel)), nil)
		if errors.Is(err, fs.ErrNotExist) {
			vanished[path.Dir(rel)] = true // removed meanwhile (parts being assembled)
			continue
		}
		if err != nil {
			return err
		}
		o.sent[rel] = st
		o.bytes += st.size
	}
	for rel, data := range checkpoints {
		// A checkpoint whose parts were not all uploaded stays at its
		// previous version in the bucket.
		if o.sent[rel] == files[rel] || vanishedUnder(vanished, path.Dir(rel)) {
			continue
		}
		if err := upload(ctx, o.loc.Bucket, o.loc.key(rel), "", data); err != nil {
			return err
		}
		o.sent[rel] = files[rel]
		o.bytes += int64(len(data))
	}
	return nil
}

// vanishedUnder reports whether a file vanished from dir or below it.
func vanishedUnder(vanished map[string]bool, dir string) bool {
	for v := range vanished {
		if v == dir || strings.HasPrefix(v, dir+"/") {
			return true
		}
	}
	return false
}

// Start syncs every interval until Finish.
func (o *Output) Start(interval time.Duration) {
	o.stop, o.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(o.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-o.stop:
				return
			case <-t.C:
				if err := o.Sync(context.Background()); err != nil {
					o.log.Warn("object storage sync failed; retrying at the next interval", "url", o.loc.URL, "err", err)
				}
			}
		}
	}()
}

// manifest is ManifestName's content.
type manifest struct {
	FinishedAt time.Time      `json:"finished_at"`
	Files      []manifestFile `json:"files"`
}

type manifestFile struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Finish stops the syncer. After a successful run (runErr nil) it uploads
// what is left, deletes objects under the prefix the run no longer has
// (the resume state, once assembled), and writes the manifest last. After a
// failed or interrupted run it uploads the resume state so that the next
// run continues from it.
func (o *Output) Finish(ctx context.Context, runErr error) error {
	if o.stop != nil {
		close(o.stop)
		<-o.done
		o.stop = nil
	}
	defer o.loc.Close()
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.sync(ctx); err != nil {
		return err
	}
	if runErr != nil {
		return nil
	}
	files, err := o.localFiles()
	if err != nil {
		return err
	}
	remote, err := o.loc.list(ctx)
	if err != nil {
		return err
	}
	for rel, ob := range remote {
		if _, ok := files[rel]; !ok && rel != ManifestName {
			if err := o.loc.Bucket.Delete(ctx, ob.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return fmt.Errorf("storage: delete stale %s: %w", ob.Key, err)
			}
		}
	}
	m := manifest{FinishedAt: time.Now().UTC()}
	for _, rel := range slices.Sorted(mapsKeys(files)) {
		sum, err := fileSHA256(filepath.Join(o.local, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		m.Files = append(m.Files, manifestFile{Key: rel, Size: files[rel].size, SHA256: sum})
	}
	data, _ := json.MarshalIndent(m, "", "  ")
	if err := upload(ctx, o.loc.Bucket, o.loc.key(ManifestName), "", append(data, '\n')); err != nil {
		return err
	}
	o.log.Info("outputs published to object storage", "url", o.loc.URL, "files", len(m.Files), "bytes_uploaded", o.bytes)
	return nil
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// StagingDir is a stable local directory for a URL under root: the same URL
// always gets the same directory, so a rerun on this machine resumes
// without pulling again what it already has.
func StagingDir(root, raw string) string {
	h := sha256.Sum256([]byte(raw))
	return filepath.Join(root, "staging", hex.EncodeToString(h[:8]))
}
