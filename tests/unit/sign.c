#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "sign.h"

#include "helpers.h"

/*
 * Signing and checking signatures (lib/sign.h), with ssh keys made for
 * each test by ssh-keygen in a temporary directory: no agent, no
 * passphrase, nothing of the user's.
 */

#define EMAIL "humas1@example.ac.id"
#define PAYLOAD                                                                                    \
	"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"                                          \
	"author Staf Satu <" EMAIL "> 1795320000 +0700\n"                                          \
	"committer Staf Satu <" EMAIL "> 1795320000 +0700\n\n"                                     \
	"UC3-2026-0001: new\n"

struct fx {
	char dir[512];
	char key[600];	 /* dir/key: the signing key */
	char *pub;	 /* its public half, one line */
	char other[600]; /* dir/other: a key of somebody else */
	char *other_pub;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char cfg[600];

	if (!fx || make_tmpdir(fx->dir, sizeof(fx->dir), "sign") < 0) {
		free(fx);
		return -1;
	}
	snprintf(cfg, sizeof(cfg), "%s/gitconfig", fx->dir);
	write_file(cfg, "");
	isolate_env(fx->dir, cfg);
	snprintf(fx->key, sizeof(fx->key), "%s/key", fx->dir);
	snprintf(fx->other, sizeof(fx->other), "%s/other", fx->dir);
	free(run("ssh-keygen -q -t ed25519 -N '' -C '" EMAIL "' -f '%s' </dev/null", fx->key));
	free(run("ssh-keygen -q -t ed25519 -N '' -C other -f '%s' </dev/null", fx->other));
	fx->pub = run("cat '%s.pub'", fx->key);
	fx->other_pub = run("cat '%s.pub'", fx->other);
	uc3_error_clear();
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	remove_tree(fx->dir);
	free(fx->pub);
	free(fx->other_pub);
	free(fx);
	return 0;
}

/* PAYLOAD signed with the ssh key at key; free(). */
static char *
ssh_sign(const char *key)
{
	struct uc3_sign_config cfg = { .format = "ssh", .key = key };
	struct uc3_buf sig = UC3_BUF_INIT;

	if (uc3_sign(&sig, PAYLOAD, strlen(PAYLOAD), &cfg) < 0)
		fail_msg("cannot sign: %s", uc3_error_last());
	return uc3_buf_detach(&sig);
}

static enum uc3_sig
verdict(const char *payload, const char *sig, const char *key, char **why)
{
	const char *keys[] = { key };
	enum uc3_sig v = (enum uc3_sig) - 1;

	assert_int_equal(uc3_sign_verify(&v, why, payload, strlen(payload), sig, strlen(sig), EMAIL,
					 keys, key ? 1 : 0),
			 0);
	return v;
}

static void
ssh_sign_writes_an_armoured_signature(void **state)
{
	struct fx *fx = *state;
	char *sig = ssh_sign(fx->key);

	assert_non_null(strstr(sig, "-----BEGIN SSH SIGNATURE-----\n"));
	assert_non_null(strstr(sig, "-----END SSH SIGNATURE-----"));
	free(sig);
}

static void
ssh_sign_finds_a_key_under_home(void **state)
{
	struct fx *fx = *state;
	char *sig = ssh_sign("~/key");

	assert_int_equal(verdict(PAYLOAD, sig, fx->pub, NULL), UC3_SIG_GOOD);
	free(sig);
}

static void
ssh_sign_fails_with_the_programs_complaint(void **state)
{
	struct fx *fx = *state;
	struct uc3_sign_config cfg = { .format = "ssh" };
	struct uc3_buf sig = UC3_BUF_INIT, missing = UC3_BUF_INIT;

	assert_int_equal(uc3_sign(&sig, PAYLOAD, strlen(PAYLOAD), &cfg), UC3_ESIGN);
	uc3_buf_addf(&missing, "%s/no-such-key", fx->dir);
	cfg.key = missing.ptr;
	assert_int_equal(uc3_sign(&sig, PAYLOAD, strlen(PAYLOAD), &cfg), UC3_ESIGN);
	assert_int_equal(sig.len, 0);
	/* A literal public key signs through an agent: there is none. */
	unsetenv("SSH_AUTH_SOCK");
	uc3_buf_reset(&missing);
	uc3_buf_addf(&missing, "key::%s", fx->pub);
	cfg.key = missing.ptr;
	assert_int_equal(uc3_sign(&sig, PAYLOAD, strlen(PAYLOAD), &cfg), UC3_ESIGN);
	assert_int_equal(sig.len, 0);
	cfg.key = fx->key;
	cfg.program = "uc3-no-such-ssh-keygen";
	assert_int_equal(uc3_sign(&sig, PAYLOAD, strlen(PAYLOAD), &cfg), UC3_ESIGN);
	assert_non_null(strstr(uc3_error_last(), "uc3-no-such-ssh-keygen"));
	uc3_buf_release(&sig);
	uc3_buf_release(&missing);
}

static void
ssh_verify_is_good_with_the_signers_key(void **state)
{
	struct fx *fx = *state;
	char *sig = ssh_sign(fx->key), *why = NULL;

	assert_int_equal(verdict(PAYLOAD, sig, fx->pub, &why), UC3_SIG_GOOD);
	assert_null(why);
	free(sig);
}

static void
ssh_verify_names_another_key(void **state)
{
	struct fx *fx = *state;
	char *sig = ssh_sign(fx->other), *why = NULL;

	assert_int_equal(verdict(PAYLOAD, sig, fx->pub, &why), UC3_SIG_OTHER_KEY);
	assert_string_equal(why, "signed with an ssh key the policy does not give to " EMAIL);
	free(why);
	/* A person with no ssh key at all: the same. */
	why = NULL;
	assert_int_equal(verdict(PAYLOAD, sig, NULL, &why), UC3_SIG_OTHER_KEY);
	free(why);
	free(sig);
}

static void
ssh_verify_finds_a_changed_commit_bad(void **state)
{
	struct fx *fx = *state;
	char *sig = ssh_sign(fx->key), *why = NULL;
	char *changed = strdup(PAYLOAD);

	changed[strlen(changed) - 2] = '2';
	assert_int_equal(verdict(changed, sig, fx->pub, &why), UC3_SIG_BAD);
	assert_string_equal(why, "the ssh signature does not match the commit (" EMAIL ")");
	free(why);
	free(changed);
	free(sig);
}

static void
key_normalize_trims_an_ssh_key_and_drops_key_colons(void **state)
{
	struct fx *fx = *state;
	struct uc3_buf text = UC3_BUF_INIT;
	char *out = NULL;

	uc3_buf_addf(&text, "  %s\n\n", fx->pub);
	assert_int_equal(uc3_sign_key_normalize(&out, text.ptr), 0);
	assert_string_equal(out, fx->pub);
	free(out);
	uc3_buf_reset(&text);
	uc3_buf_addf(&text, "key::%s", fx->pub);
	assert_int_equal(uc3_sign_key_normalize(&out, text.ptr), 0);
	assert_string_equal(out, fx->pub);
	free(out);
	uc3_buf_release(&text);
}

static void
key_normalize_writes_a_fingerprint_in_upper_case_without_blanks(void **state)
{
	char *out = NULL;

	assert_int_equal(uc3_sign_key_normalize(&out, "0123 4567 89ab cdef 0123  4567 89AB CDEF "
						      "0123 4567\n"),
			 0);
	assert_string_equal(out, "0123456789ABCDEF0123456789ABCDEF01234567");
	free(out);
}

static void
key_normalize_refuses_what_is_not_a_public_key(void **state)
{
	struct fx *fx = *state;
	char *priv = read_file(fx->key), *out = NULL;

	assert_non_null(priv);
	assert_int_equal(uc3_sign_key_normalize(&out, priv), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "that is a private key: give the public key (the .pub file)");
	assert_null(out);
	free(priv);
	assert_int_equal(uc3_sign_key_normalize(&out, "ssh-ed25519 AAAA\nssh-ed25519 BBBB"),
			 UC3_EINVAL);
	assert_int_equal(uc3_sign_key_normalize(&out, "ssh-ed25519 bukan-kunci"), UC3_EINVAL);
	assert_int_equal(uc3_sign_key_normalize(&out, "0123456789ABCDEF"), UC3_EINVAL);
	assert_int_equal(uc3_sign_key_normalize(&out, "halo"), UC3_EINVAL);
	assert_null(out);
}

static void
public_key_of_an_ssh_key_file_is_its_pub_file(void **state)
{
	struct fx *fx = *state;
	struct uc3_sign_config cfg = { .format = "ssh", .key = fx->key };
	char *out = NULL;

	assert_int_equal(uc3_sign_public_key(&out, &cfg), 0);
	assert_string_equal(out, fx->pub);
	free(out);
	/* Without the .pub file beside it, ssh-keygen -y derives it. */
	free(run("rm '%s.pub'", fx->key));
	assert_int_equal(uc3_sign_public_key(&out, &cfg), 0);
	assert_non_null(out);
	assert_memory_equal(out, fx->pub, strlen("ssh-ed25519 ") + 68);
	free(out);
}

static void
public_key_needs_a_signing_key(void **state)
{
	struct uc3_sign_config cfg = { .format = "ssh" };
	char *out = NULL;

	assert_int_equal(uc3_sign_public_key(&out, &cfg), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "git has no signing key: user.signingkey is not set (see uc3 setup)");
	cfg.format = "x509";
	assert_int_equal(uc3_sign_public_key(&out, &cfg), UC3_EINVAL);
	assert_null(out);
}

/* The letters the audit's cache keeps read back as what was written; anything else is unknown. */
static void
sig_letters_round_trip_and_names_are_what_log_prints(void **state)
{
	enum uc3_sig all[] = { UC3_SIG_NONE, UC3_SIG_GOOD, UC3_SIG_BAD, UC3_SIG_UNKNOWN,
			       UC3_SIG_OTHER_KEY };
	const char *names[] = { "none", "good", "bad", "unknown", "another key" };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(*all); i++) {
		assert_int_equal(uc3_sig_from_letter(uc3_sig_letter(all[i])), all[i]);
		assert_string_equal(uc3_sig_name(all[i]), names[i]);
	}
	assert_int_equal(uc3_sig_letter(UC3_SIG_GOOD), 'g');
	assert_int_equal(uc3_sig_letter(UC3_SIG_NONE), 'n');
	assert_int_equal(uc3_sig_from_letter('x'), UC3_SIG_UNKNOWN);
	assert_int_equal(uc3_sig_from_letter('\0'), UC3_SIG_UNKNOWN);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(ssh_sign_writes_an_armoured_signature),
		T(ssh_sign_finds_a_key_under_home),
		T(ssh_sign_fails_with_the_programs_complaint),
		T(ssh_verify_is_good_with_the_signers_key),
		T(ssh_verify_names_another_key),
		T(ssh_verify_finds_a_changed_commit_bad),
		T(key_normalize_trims_an_ssh_key_and_drops_key_colons),
		T(key_normalize_writes_a_fingerprint_in_upper_case_without_blanks),
		T(key_normalize_refuses_what_is_not_a_public_key),
		T(public_key_of_an_ssh_key_file_is_its_pub_file),
		T(public_key_needs_a_signing_key),
		cmocka_unit_test(sig_letters_round_trip_and_names_are_what_log_prints),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
