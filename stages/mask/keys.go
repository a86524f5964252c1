package mask

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// Environment variables piimask reads keys from by default. Keys are never
// taken from config files or flags.
const (
	EnvHashKey      = "PIIMASK_HASH_KEY"
	EnvPseudonymKey = "PIIMASK_PSEUDONYM_KEY"
	EnvEncryptKey   = "PIIMASK_ENCRYPT_KEY"
	EnvVaultKey     = "PIIMASK_VAULT_KEY"
)

// MinKeyLen is the shortest secret accepted for any keyed operation, in bytes.
const MinKeyLen = 16

// Keys holds the secrets of the keyed operators, as read from the
// environment. An empty key means "not configured": an operator that needs
// it makes New fail with the name of the variable to set.
type Keys struct {
	Hash      []byte
	Pseudonym []byte
	Encrypt   []byte
}

// deriveKey turns a secret from the environment into n bytes of key material
// for one purpose (HKDF-SHA256), so one secret reused for two purposes never
// gives the same key twice.
func deriveKey(secret []byte, purpose string, n int) ([]byte, error) {
	if len(secret) < MinKeyLen {
		return nil, fmt.Errorf("%s key too short: %d bytes, need at least %d", purpose, len(secret), MinKeyLen)
	}
	k, err := hkdf.Key(sha256.New, secret, nil, "piimask/"+purpose, n)
	if err != nil {
		return nil, fmt.Errorf("derive %s key: %w", purpose, err)
	}
	return k, nil
}
