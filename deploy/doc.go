// Package deploy holds no Go code of its own: it carries the tests of the
// deployment files (the Dockerfile and the Kubernetes manifests and
// kustomize overlays next to them), which build the container image's
// steps on the host and render the overlays, so that a broken image or
// manifest fails `go test` rather than a cluster roll-out.
package deploy
