#ifndef UC3_SIGN_H
#define UC3_SIGN_H

#include <stddef.h>

#include "buf.h"

/*
 * Signing a commit as git does, with the program git's configuration
 * names: gpg (openpgp), gpgsm (x509) or ssh-keygen (ssh). The store reads
 * the configuration and passes it in; this module runs the program.
 */
struct uc3_sign_config {
	const char *format;  /* "openpgp" (default), "ssh", "x509" */
	const char *key;     /* user.signingkey; NULL: the committer ident (gpg) */
	const char *program; /* gpg.program / gpg.ssh.program / gpg.x509.program; NULL: default */
	const char *ident;   /* "Name <email>", used when key is NULL for gpg */
};

/*
 * Sign payload[0..len) (a commit buffer) and append the ASCII-armoured
 * signature to out. Returns 0, or UC3_ESIGN with the program's own
 * complaint in the message.
 */
int
uc3_sign(struct uc3_buf *out, const char *payload, size_t len, const struct uc3_sign_config *cfg);

/*
 * What is known of a commit's signature: the one vocabulary of the
 * signer's check (uc3_sign_verify), git's (uc3_history_signatures),
 * the audit's verdict on each commit (verify.h) and uc3 log.
 */
enum uc3_sig {
	UC3_SIG_NONE,	  /* not signed */
	UC3_SIG_GOOD,	  /* valid, and made by one of the keys given (git: a key it trusts) */
	UC3_SIG_BAD,	  /* does not match the data, or (the audit) not what the policy requires */
	UC3_SIG_UNKNOWN,  /* signed, but it cannot be checked here (no key, no allowed signers) */
	UC3_SIG_OTHER_KEY /* valid, but by a key not among those given */
};

/* "none", "good", "bad", "unknown", "another key": how uc3 log names it. */
const char *uc3_sig_name(enum uc3_sig s);

/*
 * The one letter a cache file keeps for s ('n', 'g', 'b', 'u', 'o'), and
 * back; a letter that is none of them reads as UC3_SIG_UNKNOWN.
 */
char uc3_sig_letter(enum uc3_sig s);
enum uc3_sig uc3_sig_from_letter(char c);

/*
 * Check sig over payload (a commit's signed data and its gpgsig header)
 * against the keys a policy gives one person (email): ssh public keys
 * ("ssh-ed25519 AAAA...") as `ssh-keygen -Y verify` does with an allowed
 * signers list made of them (ed25519 and RSA in process, other kinds
 * through ssh-keygen), OpenPGP fingerprints through `gpg --verify`
 * (the public keys must be in the user's keyring). *why (may be NULL)
 * gets a short explanation for a result other than good (free()).
 * Returns 0 with *out set (never UC3_SIG_NONE), or UC3_ERROR when a program cannot be run.
 */
int uc3_sign_verify(enum uc3_sig *out, char **why, const char *payload, size_t len, const char *sig,
		    size_t siglen, const char *email, const char *const *keys, size_t nkeys);

/*
 * uc3_sign_verify for an ssh signature through ssh-keygen alone: `-Y
 * verify` with an allowed-signers list of the ssh keys, then `-Y
 * check-novalidate` to tell a valid signature by another key from a bad
 * one. uc3_sign_verify checks ed25519 and RSA signatures in process
 * (sshsig.h) and comes here for the rest; the tests hold the two to the
 * same verdicts.
 */
int uc3_sign_verify_ssh_keygen(enum uc3_sig *out, char **why, const char *payload, size_t len,
			       const char *sig, size_t siglen, const char *email,
			       const char *const *keys, size_t nkeys);

/*
 * Check that text is a public key a policy can list: an ssh public key line
 * that ssh-keygen reads ("key::" prefix allowed), or an OpenPGP fingerprint
 * (40 or 64 hex digits, blanks allowed). *out gets it as the policy keeps
 * it: the ssh line trimmed, the fingerprint in upper case without blanks
 * (free()). A private key, several lines or anything else is UC3_EINVAL.
 */
int uc3_sign_key_normalize(char **out, const char *text);

/*
 * The public half of the key cfg signs with, as uc3_sign_key_normalize
 * gives it: for ssh, the literal key, the .pub file beside the key file,
 * or what `ssh-keygen -y` derives; for openpgp, the fingerprint gpg gives
 * for user.signingkey (or the ident). Caller frees *out.
 */
int uc3_sign_public_key(char **out, const struct uc3_sign_config *cfg);

#endif
