// Package hub fetches ONNX token-classification models from the Hugging Face
// Hub (or any server that speaks its file API) by id: `hf://org/name` or
// `hf://org/name@revision`.
//
// It follows the Hub's resolve endpoint the way huggingface_hub's
// file_download.py does:
//
//   - HEAD {endpoint}/{repo}/resolve/{revision}/{path} with
//     Accept-Encoding: identity, following only relative redirects (a renamed
//     repository) and not the redirect to the CDN;
//   - X-Repo-Commit pins the revision: the first file's commit is used for
//     every other file, so all files come from one commit even if the branch
//     moves meanwhile;
//   - X-Linked-Etag (LFS files) or ETag (weak prefix and quotes removed) is
//     the file's checksum: an LFS file's SHA-256, or the git blob id (SHA-1 of
//     "blob <size>\x00" + content) of a file stored in git; X-Linked-Size or
//     Content-Length its size;
//   - the Location of a 302 is where the bytes are fetched (the CDN), without
//     the Authorization header when it is another host.
//
// The cache mirrors huggingface_hub's layout under CacheDir/hf:
// models--org--name/blobs/<etag>, snapshots/<commit>/<path> (symbolic links to
// the blobs), refs/<revision> (the commit a branch or tag last resolved to)
// and .no_exist/<commit>/<path> (an optional file the repository does not
// have). A download goes to blobs/<etag>.incomplete, resumed with an HTTP
// Range request after a cut connection (in the same call, a few times, and
// in a later call), checked against the etag and size, then renamed: a blob
// that does not match is deleted and never enters the cache.
//
// HF_TOKEN is sent as a Bearer token (never logged, never in an error);
// HF_HUB_OFFLINE=1 uses the cache only; HF_ENDPOINT points at another
// server (a mirror, or a test server).
//
// Main types: Client (FromEnv; Model and Fetch), Ref (a parsed hf:// id) and
// File. jobs resolves a method's `model: hf://…` with it into a local model
// directory before stages/detect/onnx loads it.
package hub
