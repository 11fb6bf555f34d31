#ifndef UC3_PEOPLE_H
#define UC3_PEOPLE_H

#include <stdbool.h>

#include "buf.h"
#include "policy.h"
#include "store.h"

/*
 * The people of the policy (who may act, in which role, with which
 * signing keys), changed without editing uc3.yaml by hand: each change is
 * one commit of uc3.yaml alone, which keeps the rest of the file as it
 * was. Once the policy lists people, only a holder of the top role of the
 * chain may make it, signed (uc3 verify checks the same), and git's
 * allowed signers file is kept in step (uc3_store_keep_signers).
 */

struct uc3_person_input {
	const char *email;
	const char *name; /* NULL: none */
	const char *role; /* a role of the chain; NULL for a service identity */
	bool service;	  /* a service identity: registers, records notices, holds no role */
	const char *key;  /* a public key, or a file holding one; NULL: the
			   * key git signs with here (only for oneself) */
};

/*
 * Add a person. Refused (UC3_EINVAL, nothing written): an email that is
 * not one, an unknown role, an email already listed, a key that is not a
 * public key, another person's key taken from one's own git config, a
 * first person without the top role (a service identity is never the
 * first), and a change by anyone but a holder
 * of the top role once people are listed. *first is set when this is the
 * first person: the commit is the root of trust.
 */
int uc3_people_add(struct uc3_store *st, const struct uc3_person_input *in, bool *first,
		   struct uc3_write_result *res);

/* Remove a person; refused for an unknown email or the last holder of the top role. */
int uc3_people_remove(struct uc3_store *st, const char *email, struct uc3_write_result *res);

/*
 * The seed policy text[0..len) for a signed start (uc3 init --signed):
 * people set to who alone and require_signed true, checked by parsing it
 * again. out gets the text.
 */
int uc3_people_signed_policy(struct uc3_buf *out, const char *text, size_t len,
			     const struct uc3_person *who);

/*
 * A public key given as a file holding it (a .pub file) or as its text,
 * checked and normalized by uc3_sign_key_normalize. *out: free().
 */
int uc3_people_read_key(char **out, const char *arg);

/* Whether email is an address uc3 can list: one '@', no blanks or brackets. */
bool uc3_people_email_ok(const char *email);

#endif
