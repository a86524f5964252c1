// Package hubtest is a local stand-in for the Hugging Face Hub's file API,
// for tests: it serves /{org}/{name}/resolve/{revision}/{path} with the
// headers the Hub sends (X-Repo-Commit; ETag = git blob id for files stored
// in git; for LFS files a 302 to a CDN-like path with X-Linked-Etag = SHA-256
// and X-Linked-Size) and the CDN path with HTTP Range support. It can cut a
// transfer mid-file, demand a token and serve a corrupted file.
//
// Main types: Server (an httptest server holding Repos), Repo (files by path,
// each in git or LFS) and Request (what a test can assert was asked).
package hubtest
