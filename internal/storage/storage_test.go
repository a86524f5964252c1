package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"

	"github.com/piimask/piimask/internal/storage/s3test"
)

// server starts versitygw, creates a bucket and sets the AWS environment
// gocloud.dev reads; it returns the bucket's base URL (without query) and
// the query to append.
func server(t testing.TB, bucket string) (*s3test.Server, string, string) {
	t.Helper()
	s := s3test.Start(t)
	u := s.Bucket(t, bucket)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return s, u, s.Query()
}

// TestServerSpeaksRealS3 checks the test server is S3, not a mock: requests
// without a SigV4 signature or signed with a wrong secret are refused, and
// a large write through gocloud.dev goes as a multipart upload (its ETag is
// the multipart form md5-of-md5s "-N") stored whole.
func TestServerSpeaksRealS3(t *testing.T) {
	s, u, q := server(t, "real")
	resp, err := http.Get(s.Endpoint + "/real?list-type=2")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned ListObjectsV2: status %d, want 403", resp.StatusCode)
	}
	bad := s3.New(s3.Options{Region: s3test.Region, BaseEndpoint: aws.String(s.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(s3test.AccessKey, "wrong-secret", "")})
	if _, err := bad.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("real")}); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("a request signed with a wrong secret: %v, want SignatureDoesNotMatch", err)
	}
	ctx := context.Background()
	b, err := blob.OpenBucket(ctx, u+q)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	data := make([]byte, 12<<20+123)
	rand.Read(data)
	w, err := b.NewWriter(ctx, "big/object.bin", &blob.WriterOptions{BufferSize: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := b.Attributes(ctx, "big/object.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.Trim(a.ETag, `"`), "-3") {
		t.Fatalf("ETag %s: want a 3-part multipart upload's", a.ETag)
	}
	got, err := os.ReadFile(filepath.Join(s.Dir, "real", "big", "object.bin"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the server's file differs from what was written (%v)", err)
	}
}

// locations gives the same test an s3:// and a file:// base URL.
func locations(t *testing.T) map[string]func(rel string) string {
	_, u, q := server(t, "loc")
	dir := t.TempDir()
	return map[string]func(string) string{
		"s3":   func(rel string) string { return u + "/" + rel + q },
		"file": func(rel string) string { return "file://" + filepath.ToSlash(filepath.Join(dir, rel)) },
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOutputResumeStateAndPublication(t *testing.T) {
	ctx := context.Background()
	for name, at := range locations(t) {
		t.Run(name, func(t *testing.T) {
			stage := t.TempDir()
			o, err := OpenOutput(ctx, at("out/run"), stage, nil)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(stage, ".work", "part-00000.jsonl"), "a\n")
			writeFile(t, filepath.Join(stage, ".work", "checkpoint.json"), `{"parts":[{"index":0}]}`)
			writeFile(t, filepath.Join(stage, ".work", ".part-00001.jsonl.tmp-123"), "half")
			if err := o.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			// Interrupted: the next run, elsewhere (a new staging
			// directory), pulls the resume state, never a temporary file.
			if err := o.Finish(ctx, context.Canceled); err != nil {
				t.Fatal(err)
			}
			stage2 := t.TempDir()
			o2, err := OpenOutput(ctx, at("out/run"), stage2, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"part-00000.jsonl", "checkpoint.json"} {
				if _, err := os.Stat(filepath.Join(stage2, ".work", f)); err != nil {
					t.Fatalf("resume state %s not pulled: %v", f, err)
				}
			}
			if _, err := os.Stat(filepath.Join(stage2, ".work", ".part-00001.jsonl.tmp-123")); err == nil {
				t.Fatal("a temporary file was uploaded")
			}
			// Success: the work directory is gone, the output assembled.
			os.RemoveAll(filepath.Join(stage2, ".work"))
			writeFile(t, filepath.Join(stage2, "masked", "a.jsonl"), "masked\n")
			if err := o2.Finish(ctx, nil); err != nil {
				t.Fatal(err)
			}
			loc, err := Open(ctx, at("out/run"))
			if err != nil {
				t.Fatal(err)
			}
			defer loc.Close()
			objs, err := loc.list(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != 2 || objs["masked/a.jsonl"] == nil || objs[ManifestName] == nil {
				t.Fatalf("published objects %v: want masked/a.jsonl and the manifest only", keys(objs))
			}
			r, err := loc.Bucket.ReadAll(ctx, loc.key(ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			var m manifest
			if err := json.Unmarshal(r, &m); err != nil || len(m.Files) != 1 || m.Files[0].Key != "masked/a.jsonl" || m.Files[0].Size != 7 {
				t.Fatalf("manifest %s (%v)", r, err)
			}
			// A new run removes the manifest first: in progress, not published.
			o3, err := OpenOutput(ctx, at("out/run"), t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if ok, _ := loc.Bucket.Exists(ctx, loc.key(ManifestName)); ok {
				t.Fatal("manifest still there while a new run is in progress")
			}
			o3.Finish(ctx, context.Canceled)
		})
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFetchInput(t *testing.T) {
	ctx := context.Background()
	for name, at := range locations(t) {
		t.Run(name, func(t *testing.T) {
			loc, err := Open(ctx, at("in"))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range map[string]string{"corpus/a.jsonl": "A\n", "corpus/sub/b.txt": "B"} {
				if err := loc.Bucket.WriteAll(ctx, loc.key(k), []byte(v), nil); err != nil {
					t.Fatal(err)
				}
			}
			loc.Close()
			cache := t.TempDir()
			dir, err := FetchInput(ctx, at("in/corpus/"), cache)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "sub", "b.txt")); string(b) != "B" {
				t.Fatalf("prefix fetch: %q", b)
			}
			one, err := FetchInput(ctx, at("in/corpus/a.jsonl"), cache)
			if err != nil {
				t.Fatal(err)
			}
			st1, _ := os.Stat(one)
			time.Sleep(20 * time.Millisecond)
			if _, err := FetchInput(ctx, at("in/corpus/a.jsonl"), cache); err != nil {
				t.Fatal(err)
			}
			st2, _ := os.Stat(one)
			if one != filepath.Join(dir, "a.jsonl") || !st1.ModTime().Equal(st2.ModTime()) {
				t.Fatalf("same object, other local file or time: %s %v %v", one, st1.ModTime(), st2.ModTime())
			}
			if _, err := FetchInput(ctx, at("in/nothing"), cache); err == nil || !strings.Contains(err.Error(), "no such object") {
				t.Fatalf("missing input: %v", err)
			}
		})
	}
}

// BenchmarkTransfer writes and reads 64 MiB through the S3 server and
// through local files (file://) in the same run, with the buckets Open
// gives jobs; -bench reports MB/s.
func BenchmarkTransfer(b *testing.B) {
	ctx := context.Background()
	_, u, q := server(b, "bench")
	dir := b.TempDir()
	data := make([]byte, 64<<20)
	rand.Read(data)
	for _, tt := range []struct{ name, url string }{{"s3", u + "/bench" + q}, {"file", "file://" + filepath.ToSlash(dir)}} {
		loc, err := Open(ctx, tt.url)
		if err != nil {
			b.Fatal(err)
		}
		bk, key := loc.Bucket, loc.key("obj")
		b.Run(tt.name+"/write", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				if err := bk.WriteAll(ctx, key, data, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tt.name+"/read", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				r, err := bk.NewReader(ctx, key, nil)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, r); err != nil || n != int64(len(data)) {
					b.Fatal(n, err)
				}
				r.Close()
			}
		})
		bk.Close()
	}
}

func TestVanishedUnder(t *testing.T) {
	v := map[string]bool{".work/pdf/ab": true}
	if !vanishedUnder(v, ".work") || vanishedUnder(v, "other/.work") || vanishedUnder(map[string]bool{".workx": true}, ".work") {
		t.Fatal("vanishedUnder")
	}
}
