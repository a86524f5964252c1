package s3test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Credentials of the server's root user.
const (
	AccessKey = "piimask-test"
	SecretKey = "piimask-test-secret-key"
	Region    = "us-east-1"
)

// Server is a running versitygw.
type Server struct {
	// Endpoint is http://127.0.0.1:port.
	Endpoint string
	// Dir is the posix backend's root: bucket b's object k is Dir/b/k.
	Dir string
}

// Bin is the versitygw binary scripts/setup-s3.sh builds.
func Bin(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	bin := filepath.Join(filepath.Dir(file), "..", "..", "..", ".cache", "bin", "versitygw")
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing: run scripts/setup-s3.sh", bin)
		}
		t.Skipf("%s missing (run scripts/setup-s3.sh)", bin)
	}
	return bin
}

// Start runs a versitygw until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Bin(t)
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	log, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--access", AccessKey, "--secret", SecretKey, "--region", Region, "--port", addr, "posix", dir)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the process is killed at clean-up; its exit status says nothing
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // fails only when it has already exited
		<-exited
		log.Close()
	})
	s := &Server{Endpoint: "http://" + addr, Dir: dir}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case <-exited:
			data, _ := os.ReadFile(log.Name())
			t.Fatalf("versitygw exited:\n%s", data)
		default:
		}
		if resp, err := http.Get(s.Endpoint + "/"); err == nil {
			resp.Body.Close()
			return s
		}
	}
	t.Fatal("versitygw not answering after 30s")
	return nil
}

// Client is an AWS SDK S3 client of the server's root user.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
}

// Bucket creates a bucket and returns its s3:// URL with the parameters
// gocloud.dev needs to reach this server (credentials come from Env).
func (s *Server) Bucket(t testing.TB, name string) string {
	t.Helper()
	if _, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return "s3://" + name
}

// Query is the URL query for gocloud.dev's s3blob to reach the server.
func (s *Server) Query() string {
	return "?endpoint=" + s.Endpoint + "&use_path_style=true&disable_https=true&region=" + Region
}

// Env is the AWS environment of the server's root user.
func (s *Server) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey, "AWS_REGION=" + Region,
		"AWS_EC2_METADATA_DISABLED=true"}
}
