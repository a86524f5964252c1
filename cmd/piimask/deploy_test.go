package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/internal/storage"
	"github.com/piimask/piimask/jobs"
	"github.com/spf13/pflag"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// overlays are the kustomizations under deploy/kubernetes/overlays.
var overlays = []string{"nightly-evaluate", "sharded-evaluate", "sharded-mask", "sharded-mask-s3"}

// built is one overlay built by kustomize and decoded into the Kubernetes
// API types.
type built struct {
	configMaps map[string]*corev1.ConfigMap // by name prefix (before the hash suffix)
	pvcs       []*corev1.PersistentVolumeClaim
	sas        []*corev1.ServiceAccount
	jobs       []*batchv1.Job
	cronJobs   []*batchv1.CronJob
}

// buildOverlay runs kustomize (krusty, the library kubectl kustomize uses)
// on an overlay and decodes every object strictly: a field the API type
// does not have is an error, as the API server's strict field validation
// would report it.
func buildOverlay(t *testing.T, name string) built {
	t.Helper()
	dir, _ := filepath.Abs(filepath.Join("../../deploy/kubernetes/overlays", name))
	opts := krusty.MakeDefaultOptions()
	opts.LoadRestrictions = types.LoadRestrictionsNone // the configs live in configs/
	rm, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", name, err)
	}
	b := built{configMaps: map[string]*corev1.ConfigMap{}}
	for _, r := range rm.Resources() {
		data, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		kind := r.GetKind()
		strict := func(into any) {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(into); err != nil {
				t.Fatalf("%s: %s %s does not decode strictly into the API type: %v", name, kind, r.GetName(), err)
			}
		}
		switch kind {
		case "ConfigMap":
			var cm corev1.ConfigMap
			strict(&cm)
			prefix := cm.Name
			if i := strings.LastIndexByte(prefix, '-'); i > 0 {
				prefix = prefix[:i]
			}
			b.configMaps[prefix] = &cm
		case "PersistentVolumeClaim":
			var p corev1.PersistentVolumeClaim
			strict(&p)
			b.pvcs = append(b.pvcs, &p)
		case "ServiceAccount":
			var s corev1.ServiceAccount
			strict(&s)
			b.sas = append(b.sas, &s)
		case "Job":
			var j batchv1.Job
			strict(&j)
			b.jobs = append(b.jobs, &j)
		case "CronJob":
			var c batchv1.CronJob
			strict(&c)
			b.cronJobs = append(b.cronJobs, &c)
		default:
			t.Fatalf("%s: unexpected kind %s (a Secret with values must never be in the manifests)", name, kind)
		}
	}
	return b
}

// TestKubernetesManifests builds every overlay with kustomize, decodes each
// object strictly into the Kubernetes API types and checks that the whole
// holds together: every ConfigMap, PVC, Secret key and service account a pod
// refers to is generated or documented, every volume mounted exists, the
// config files the containers name are in the generated ConfigMap (and are
// valid piimask jobs), every piimask flag exists on the real command tree,
// shards write per-shard paths on the data volume, the merge reads exactly
// the shards' directories, and pods run as non-root with requests and limits.
func TestKubernetesManifests(t *testing.T) {
	kinds := map[string]bool{}
	for _, name := range overlays {
		t.Run(name, func(t *testing.T) {
			b := buildOverlay(t, name)
			if len(b.pvcs) != 1 || b.pvcs[0].Name != "piimask-data" || !slices.Contains(b.pvcs[0].Spec.AccessModes, corev1.ReadWriteMany) {
				t.Fatalf("want the ReadWriteMany PVC piimask-data, got %v", b.pvcs)
			}
			cfgs, ok := b.configMaps["piimask-configs"]
			if !ok || !strings.HasPrefix(cfgs.Name, "piimask-configs-") {
				t.Fatalf("no hashed piimask-configs ConfigMap: %v", b.configMaps)
			}
			for key, text := range cfgs.Data {
				repo, err := os.ReadFile(filepath.Join("../../configs", key))
				if err != nil || string(repo) != text {
					t.Errorf("ConfigMap key %s is not configs/%s (%v)", key, key, err)
				}
				p := filepath.Join(t.TempDir(), key)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				if _, err := jobs.Load(p, &jobs.Env{Stdout: io.Discard, Stderr: io.Discard}); err != nil {
					t.Errorf("ConfigMap key %s is not a valid piimask job: %v", key, err)
				}
			}
			type podOf struct {
				what string
				job  batchv1.JobSpec
			}
			var pods []podOf
			for _, c := range b.cronJobs {
				kinds["CronJob"] = true
				if c.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
					t.Errorf("CronJob %s: concurrencyPolicy %q, want Forbid", c.Name, c.Spec.ConcurrencyPolicy)
				}
				pods = append(pods, podOf{"CronJob " + c.Name, c.Spec.JobTemplate.Spec})
			}
			var shardDirs, mergeDirs []string
			for _, j := range b.jobs {
				pods = append(pods, podOf{"Job " + j.Name, j.Spec})
			}
			for _, p := range pods {
				spec := p.job.Template.Spec
				indexed := p.job.CompletionMode != nil && *p.job.CompletionMode == batchv1.IndexedCompletion
				if indexed {
					kinds["IndexedJob"] = true
				}
				if spec.ServiceAccountName != "piimask" || spec.RestartPolicy != corev1.RestartPolicyNever {
					t.Errorf("%s: service account %q, restart policy %q", p.what, spec.ServiceAccountName, spec.RestartPolicy)
				}
				sc := spec.SecurityContext
				if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
					t.Errorf("%s: pod must run as a non-root uid", p.what)
				}
				vols := map[string]corev1.Volume{}
				for _, v := range spec.Volumes {
					vols[v.Name] = v
					if v.ConfigMap != nil {
						if _, ok := b.configMaps[strings.TrimSuffix(v.ConfigMap.Name, v.ConfigMap.Name[strings.LastIndexByte(v.ConfigMap.Name, '-'):])]; !ok {
							t.Errorf("%s: volume %s refers to ConfigMap %s, not generated", p.what, v.Name, v.ConfigMap.Name)
						}
					}
					if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName != "piimask-data" {
						t.Errorf("%s: volume %s claims %s", p.what, v.Name, v.PersistentVolumeClaim.ClaimName)
					}
					if v.HostPath != nil {
						t.Errorf("%s: hostPath volume %s", p.what, v.Name)
					}
				}
				for _, c := range spec.Containers {
					if len(c.Command) != 0 {
						t.Errorf("%s: container %s overrides the entrypoint with %q; the image has no shell, its entrypoint is piimask", p.what, c.Name, c.Command)
					}
					if c.Image != "ghcr.io/piimask/piimask:latest" {
						t.Errorf("%s: image %q", p.what, c.Image)
					}
					if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
						t.Errorf("%s: container %s needs cpu and memory requests and a memory limit", p.what, c.Name)
					}
					if s := c.SecurityContext; s == nil || s.ReadOnlyRootFilesystem == nil || !*s.ReadOnlyRootFilesystem {
						t.Errorf("%s: container %s: want a read-only root file system", p.what, c.Name)
					}
					mounts := map[string]string{}
					for _, m := range c.VolumeMounts {
						if _, ok := vols[m.Name]; !ok {
							t.Errorf("%s: mount %s has no volume", p.what, m.Name)
						}
						mounts[m.MountPath] = m.Name
					}
					env := map[string]string{}
					for _, e := range c.Env {
						env[e.Name] = e.Value
						if r := e.ValueFrom; r != nil {
							if r.SecretKeyRef != nil && !documentedSecrets[r.SecretKeyRef.Name+"/"+r.SecretKeyRef.Key] {
								t.Errorf("%s: Secret %s key %s is not documented", p.what, r.SecretKeyRef.Name, r.SecretKeyRef.Key)
							}
							if r.ConfigMapKeyRef != nil {
								n := r.ConfigMapKeyRef.Name
								cm, ok := b.configMaps[n[:strings.LastIndexByte(n, '-')]]
								if !ok || cm.Name != n {
									t.Errorf("%s: env %s refers to ConfigMap %s, not generated", p.what, e.Name, n)
								} else {
									env[e.Name] = cm.Data[r.ConfigMapKeyRef.Key]
								}
							}
						}
					}
					args := expand(c.Args, env)
					checkArgs(t, p.what, args)
					for _, a := range args {
						if cfg, ok := strings.CutPrefix(a, "/etc/piimask/configs/"); ok {
							if mounts["/etc/piimask/configs"] != "configs" {
								t.Errorf("%s: names %s without the configs volume at /etc/piimask/configs", p.what, a)
							} else if _, ok := cfgs.Data[cfg]; !ok {
								t.Errorf("%s: config %s is not in the ConfigMap", p.what, cfg)
							}
						}
						if strings.HasPrefix(a, "/data/") || strings.HasPrefix(flagValue(a), "/data/") {
							if mounts["/data"] != "data" {
								t.Errorf("%s: writes %s without the data volume at /data", p.what, a)
							}
						}
					}
					if indexed {
						count := env["PIIMASK_SHARD_COUNT"]
						if p.job.Completions == nil || count != strconv.Itoa(int(*p.job.Completions)) {
							t.Errorf("%s: PIIMASK_SHARD_COUNT %q must equal completions", p.what, count)
						}
						if p.job.BackoffLimitPerIndex == nil {
							t.Errorf("%s: an Indexed Job should retry per index (backoffLimitPerIndex)", p.what)
						}
						out := ""
						for _, a := range args {
							if v, ok := strings.CutPrefix(a, "--output-dir="); ok {
								out = v
							}
						}
						if !strings.HasPrefix(out, "/data/runs/") && !strings.HasPrefix(out, "s3://") {
							t.Errorf("%s: shards must write under /data/runs/<run-id> or to s3:// (--output-dir), got %q", p.what, out)
						}
						if strings.HasSuffix(name, "-s3") != strings.HasPrefix(out, "s3://") {
							t.Errorf("%s: overlay %s writes to %s", p.what, name, out)
						}
						if strings.HasPrefix(out, "s3://") {
							if _, err := storage.Open(context.Background(), out); err != nil {
								t.Errorf("%s: --output-dir %s: %v", p.what, out, err)
							}
							if env["AWS_ACCESS_KEY_ID"] == "" && !slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "AWS_ACCESS_KEY_ID" }) {
								t.Errorf("%s: writes to S3 without credentials", p.what)
							}
						}
						n, _ := strconv.Atoi(count)
						for i := range n {
							shardDirs = append(shardDirs, fmt.Sprintf("%s/shard-%d-of-%d", out, i, n))
						}
					}
					if len(args) > 0 && args[0] == "merge" {
						for _, a := range args[1:] {
							if !strings.HasPrefix(a, "-") {
								mergeDirs = append(mergeDirs, a)
							}
						}
					}
				}
			}
			if name == "sharded-evaluate" {
				kinds["merge"] = true
				if len(shardDirs) != 3 || !slices.Equal(shardDirs, mergeDirs) {
					t.Errorf("the merge Job reads %v, the shards write %v", mergeDirs, shardDirs)
				}
			}
		})
	}
	if !kinds["CronJob"] || !kinds["IndexedJob"] || !kinds["merge"] {
		t.Errorf("want a CronJob, an Indexed Job and a merge Job, got %v", kinds)
	}
}

// documentedSecrets are the Secrets the manifests refer to, each with the
// kubectl command that creates it in its overlay's comments.
var documentedSecrets = map[string]bool{"piimask-llm/api-key": true, "piimask-mask/pseudonym-key": true,
	"piimask-s3/access-key-id": true, "piimask-s3/secret-access-key": true}

var varRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// expand replaces $(VAR) as Kubernetes does in container args, from the
// container's env (unknown references stay as they are).
func expand(args []string, env map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = varRef.ReplaceAllStringFunc(a, func(m string) string {
			if v, ok := env[m[2:len(m)-1]]; ok {
				return v
			}
			return m
		})
	}
	return out
}

// flagValue is the value of a --flag=value argument ("" otherwise).
func flagValue(a string) string {
	if !strings.HasPrefix(a, "--") {
		return ""
	}
	_, v, _ := strings.Cut(a, "=")
	return v
}

// checkArgs finds the subcommand and checks every --flag on it.
func checkArgs(t *testing.T, file string, args []string) {
	t.Helper()
	root := newRootCmd(io.Discard, io.Discard)
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		t.Fatalf("%s: no piimask subcommand in %q: %v", file, args, err)
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		fl := lookupFlag(cmd, name)
		if fl == nil {
			t.Errorf("%s: piimask %s has no flag --%s", file, cmd.Name(), name)
			continue
		}
		if !hasValue && fl.Value.Type() != "bool" {
			i++ // the value is the next word
		}
	}
	if err := cmd.ParseFlags(args[1:]); err != nil {
		t.Errorf("%s: piimask %s rejects its arguments: %v", file, cmd.Name(), err)
	}
}

// lookupFlag finds a flag of cmd, its own or inherited from the root.
func lookupFlag(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	return cmd.InheritedFlags().Lookup(name)
}
