#ifndef UC3_SSHSIG_H
#define UC3_SSHSIG_H

#include <stddef.h>

/*
 * ssh signatures (OpenSSH's SSHSIG format, what `ssh-keygen -Y sign -n git`
 * makes for git) checked in this process, with OpenSSL's libcrypto, for
 * the keys most people have: ssh-ed25519 and ssh-rsa (rsa-sha2-256 and
 * rsa-sha2-512 signatures). The signature is read exactly as ssh-keygen
 * reads it, and the verdict is the one `ssh-keygen -Y verify` and
 * `ssh-keygen -Y check-novalidate` give together; whatever this module
 * cannot decide as ssh-keygen would (other key types, certificates, a
 * policy key or an address it does not read) it leaves to ssh-keygen.
 * Nothing here allocates anything the caller frees.
 */
enum uc3_sshsig {
	UC3_SSHSIG_UNHANDLED, /* not decided here: ask ssh-keygen */
	UC3_SSHSIG_GOOD,      /* valid, by one of the keys given */
	UC3_SSHSIG_OTHER_KEY, /* valid (namespace git), by a key not given */
	UC3_SSHSIG_BAD	      /* anything else: malformed, truncated, another namespace, ... */
};

/*
 * Check the armoured signature sig[0..siglen) over payload[0..len) for
 * principal (the person's address, as `ssh-keygen -Y verify -I` takes it)
 * against keys[0..nkeys): the policy's keys, of which the ssh public key
 * lines ("ssh-ed25519 AAAA... comment") count and the rest (OpenPGP
 * fingerprints) are passed over, as the allowed-signers file ssh-keygen is
 * given has only the ssh keys. The namespace must be "git".
 */
enum uc3_sshsig uc3_sshsig_verify(const char *payload, size_t len, const char *sig, size_t siglen,
				  const char *principal, const char *const *keys, size_t nkeys);

#endif
