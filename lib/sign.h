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
	const char *format;	/* "openpgp" (default), "ssh", "x509" */
	const char *key;	/* user.signingkey; NULL: the committer ident (gpg) */
	const char *program;	/* gpg.program / gpg.ssh.program / gpg.x509.program; NULL: default */
	const char *ident;	/* "Name <email>", used when key is NULL for gpg */
};

/*
 * Sign payload[0..len) (a commit buffer) and append the ASCII-armoured
 * signature to out. Returns 0, or UC3_ESIGN with the program's own
 * complaint in the message.
 */
int uc3_sign(struct uc3_buf *out, const char *payload, size_t len,
	     const struct uc3_sign_config *cfg);

#endif
