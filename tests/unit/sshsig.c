#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "buf.h"
#include "error.h"
#include "sign.h"
#include "sshsig.h"

#include "helpers.h"

/*
 * The ssh signatures checked in process (lib/sshsig.c) against ssh-keygen
 * itself: signatures made by `ssh-keygen -Y sign` with throwaway keys, and
 * every way of spoiling them we could think of, go through the old path
 * (ssh-keygen -Y verify, then -Y check-novalidate) and through
 * uc3_sign_verify, which must give the same verdict and the same words.
 * Each case also says whether the in-process check decides it (an ed25519
 * or RSA signature) or leaves it to ssh-keygen (ecdsa, an unknown key
 * type), so that a check that quietly left everything to ssh-keygen fails.
 */

#define EMAIL "humas1@example.ac.id"
#define FPR   "0123456789ABCDEF0123456789ABCDEF01234567"
#define PAYLOAD                                                                                    \
	"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"                                          \
	"author Staf Satu <" EMAIL "> 1795320000 +0700\n"                                          \
	"committer Staf Satu <" EMAIL "> 1795320000 +0700\n\n"                                     \
	"UC3-2026-0001: new\n"

enum { ED, ED_OTHER, RSA2048, RSA3072, ECDSA, NKEYS };

static const char *const key_args[NKEYS] = { "-t ed25519", "-t ed25519", "-t rsa -b 2048",
					     "-t rsa -b 3072", "-t ecdsa -b 256" };

struct fx {
	char dir[512];
	char key[NKEYS][600];
	char *pub[NKEYS];
	int cases;
};

static struct fx fx;

static int
setup(void **state)
{
	char cfg[600];
	int i;

	if (make_tmpdir(fx.dir, sizeof(fx.dir), "sshsig") < 0)
		return -1;
	snprintf(cfg, sizeof(cfg), "%s/gitconfig", fx.dir);
	write_file(cfg, "");
	isolate_env(fx.dir, cfg);
	for (i = 0; i < NKEYS; i++) {
		snprintf(fx.key[i], sizeof(fx.key[i]), "%s/key%d", fx.dir, i);
		free(run("ssh-keygen -q %s -N '' -C 'key %d' -f '%s' </dev/null", key_args[i], i,
			 fx.key[i]));
		fx.pub[i] = run("cat '%s.pub'", fx.key[i]);
	}
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	remove_tree(fx.dir);
	for (i = 0; i < NKEYS; i++)
		free(fx.pub[i]);
	return 0;
}

/* PAYLOAD signed by key k in namespace ns, with hashalg (NULL: the default); free(). */
static char *
sign_with(int k, const char *ns, const char *hashalg)
{
	char msg[700], sigpath[710];
	char *sig;

	snprintf(msg, sizeof(msg), "%s/payload", fx.dir);
	snprintf(sigpath, sizeof(sigpath), "%s.sig", msg);
	write_file(msg, PAYLOAD);
	unlink(sigpath);
	free(run("ssh-keygen -q -Y sign -n %s -f '%s' %s%s '%s' </dev/null 2>&1", ns, fx.key[k],
		 hashalg ? "-O hashalg=" : "", hashalg ? hashalg : "", msg));
	sig = read_file(sigpath);
	assert_non_null(sig);
	return sig;
}

/* The blob inside an armoured signature (taken as it should be). */
static void
unarmour(struct uc3_buf *blob, const char *sig)
{
	struct uc3_buf b64 = UC3_BUF_INIT;
	const char *p = strchr(sig, '\n') + 1, *end = strstr(sig, "\n-----END");
	unsigned char *raw;
	int n;

	for (; p < end; p++)
		if (*p != '\n')
			uc3_buf_addch(&b64, *p);
	raw = malloc(b64.len + 1);
	assert_non_null(raw);
	n = EVP_DecodeBlock(raw, (const unsigned char *)b64.ptr, (int)b64.len);
	assert_true(n >= 0);
	while (b64.len && b64.ptr[b64.len - 1] == '=') {
		n--;
		b64.len--;
	}
	uc3_buf_add(blob, raw, (size_t)n);
	free(raw);
	uc3_buf_release(&b64);
}

/* blob armoured as ssh-keygen does it (70 columns); free(). */
static char *
armour(const struct uc3_buf *blob)
{
	struct uc3_buf out = UC3_BUF_INIT;
	unsigned char *b64 = malloc(blob->len * 2 + 8);
	size_t i, n;

	assert_non_null(b64);
	n = (size_t)EVP_EncodeBlock(b64, (const unsigned char *)blob->ptr, (int)blob->len);
	uc3_buf_adds(&out, "-----BEGIN SSH SIGNATURE-----\n");
	for (i = 0; i < n; i += 70) {
		uc3_buf_add(&out, b64 + i, n - i < 70 ? n - i : 70);
		uc3_buf_addch(&out, '\n');
	}
	uc3_buf_adds(&out, "-----END SSH SIGNATURE-----\n");
	free(b64);
	return uc3_buf_detach(&out);
}

/* Where the fields of a signature blob start: each string's length field. */
struct layout {
	size_t key, keytype, keyend, ns, reserved, hashalg, sig, sigtype, sigbytes, end;
};

static uint32_t
u32_at(const struct uc3_buf *b, size_t at)
{
	const unsigned char *p = (const unsigned char *)b->ptr + at;

	assert_true(at + 4 <= b->len);
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
layout_of(struct layout *l, const struct uc3_buf *b)
{
	l->key = 10;
	l->keytype = l->key + 4;
	l->keyend = l->key + 4 + u32_at(b, l->key);
	l->ns = l->keyend;
	l->reserved = l->ns + 4 + u32_at(b, l->ns);
	l->hashalg = l->reserved + 4 + u32_at(b, l->reserved);
	l->sig = l->hashalg + 4 + u32_at(b, l->hashalg);
	l->sigtype = l->sig + 4;
	l->sigbytes = l->sigtype + 4 + u32_at(b, l->sigtype);
	l->end = l->sig + 4 + u32_at(b, l->sig);
	assert_int_equal(l->end, b->len);
}

static void
put_u32(struct uc3_buf *b, size_t n)
{
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
				 (unsigned char)(n >> 8), (unsigned char)n };

	uc3_buf_add(b, len, 4);
}

/*
 * The blob of sig made again with its reserved field set to reserved and
 * (when sigtype is not NULL) its signature's type replaced; armoured, free().
 */
static char *
rebuilt(const char *sig, const char *reserved, const char *sigtype)
{
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	struct layout l;
	char *res;

	unarmour(&b, sig);
	layout_of(&l, &b);
	uc3_buf_add(&out, b.ptr, l.reserved);
	put_u32(&out, strlen(reserved));
	uc3_buf_adds(&out, reserved);
	uc3_buf_add(&out, b.ptr + l.hashalg, l.sig - l.hashalg);
	if (sigtype) {
		size_t rest = l.end - l.sigbytes;

		put_u32(&out, 4 + strlen(sigtype) + rest);
		put_u32(&out, strlen(sigtype));
		uc3_buf_adds(&out, sigtype);
		uc3_buf_add(&out, b.ptr + l.sigbytes, rest);
	} else {
		uc3_buf_add(&out, b.ptr + l.sig, l.end - l.sig);
	}
	res = armour(&out);
	uc3_buf_release(&b);
	uc3_buf_release(&out);
	return res;
}

/* sig with the byte at blob offset at xor-ed with mask; free(). */
static char *
flipped(const char *sig, size_t at, unsigned char mask)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char *res;

	unarmour(&b, sig);
	assert_true(at < b.len);
	b.ptr[at] = (char)(b.ptr[at] ^ mask);
	res = armour(&b);
	uc3_buf_release(&b);
	return res;
}

/* sig with its blob longer by one byte, or one byte shorter at the end; free(). */
static char *
resized(const char *sig, bool longer)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char *res;

	unarmour(&b, sig);
	if (longer)
		uc3_buf_addch(&b, '\0');
	else
		uc3_buf_setlen(&b, b.len - 1);
	res = armour(&b);
	uc3_buf_release(&b);
	return res;
}

/* s with the first occurrence of from replaced by to; free(). */
static char *
replaced(const char *s, const char *from, const char *to)
{
	struct uc3_buf b = UC3_BUF_INIT;
	const char *at = strstr(s, from);

	assert_non_null(at);
	uc3_buf_add(&b, s, (size_t)(at - s));
	uc3_buf_adds(&b, to);
	uc3_buf_adds(&b, at + strlen(from));
	return uc3_buf_detach(&b);
}

/*
 * The one check: the old path and uc3_sign_verify agree, on want, with the
 * same explanation, and the in-process check decided it when in_process
 * is 1, left it to ssh-keygen when 0 (-1: either).
 */
static void
same_verdict(const char *what, const char *payload, const char *sig, const char *const *keys,
	     size_t nkeys, enum uc3_sig want, int in_process)
{
	enum uc3_sig old = (enum uc3_sig) - 1, now = (enum uc3_sig) - 1;
	char *why_old = NULL, *why_now = NULL;
	enum uc3_sshsig direct;

	direct = uc3_sshsig_verify(payload, strlen(payload), sig, strlen(sig), EMAIL, keys, nkeys);
	if (uc3_sign_verify_ssh_keygen(&old, &why_old, payload, strlen(payload), sig, strlen(sig),
				       EMAIL, keys, nkeys) < 0)
		fail_msg("%s: ssh-keygen: %s", what, uc3_error_last());
	assert_int_equal(uc3_sign_verify(&now, &why_now, payload, strlen(payload), sig, strlen(sig),
					 EMAIL, keys, nkeys),
			 0);
	if (old != now || old != want)
		fail_msg("%s: ssh-keygen says %s, uc3 %s (in process: %d), expected %s", what,
			 uc3_sig_name(old), uc3_sig_name(now), (int)direct, uc3_sig_name(want));
	if (in_process >= 0 && (direct != UC3_SSHSIG_UNHANDLED) != in_process)
		fail_msg("%s: %s in process", what, in_process ? "not decided" : "decided");
	if (why_old || why_now) {
		assert_non_null(why_old);
		assert_non_null(why_now);
		assert_string_equal(why_old, why_now);
	}
	free(why_old);
	free(why_now);
	fx.cases++;
}

/*
 * The variants of a signature by key k (hashalg: NULL or the one asked
 * for): all of them when all, else the well-formed ones (each case runs
 * ssh-keygen once or twice: the test stays within seconds).
 */
static void
variants(int k, const char *hashalg, bool in_process, bool all)
{
	char *sig = sign_with(k, "git", hashalg), *other_ns = sign_with(k, "other", hashalg);
	const char *own[] = { fx.pub[k] };
	const char *others[] = { fx.pub[ED_OTHER] == fx.pub[k] ? fx.pub[ED] : fx.pub[ED_OTHER] };
	const char *several[] = { FPR, others[0], fx.pub[k] };
	const char *fpr_only[] = { FPR };
	char *bare_key = strdup(fx.pub[k]), *changed = replaced(PAYLOAD, "new", "nex");
	struct uc3_buf blob = UC3_BUF_INIT, b = UC3_BUF_INIT;
	struct layout l;
	char *v;
	size_t i;
	const struct {
		const char *what;
		size_t at;
		unsigned char mask;
		enum uc3_sig want;
		bool in_process;
	} flips[] = {
		{ "magic", 0, 0x01, UC3_SIG_BAD, true },
		{ "magic, last byte", 5, 0x20, UC3_SIG_BAD, true },
		/* Version 0 is below ssh-keygen's 1: still read. */
		{ "version 0", 9, 0x01, UC3_SIG_GOOD, true },
		{ "version 3", 9, 0x02, UC3_SIG_BAD, true },
		{ "key length", 0, 0x01, UC3_SIG_BAD, true },
		{ "key type", 0, 0x01, UC3_SIG_BAD, false },
		{ "key, last byte", 0, 0x01, UC3_SIG_BAD, true },
		{ "namespace length", 0, 0x01, UC3_SIG_BAD, true },
		{ "namespace", 0, 0x01, UC3_SIG_BAD, true },
		{ "hash name", 0, 0x01, UC3_SIG_BAD, true },
		{ "signature length", 0, 0x01, UC3_SIG_BAD, true },
		{ "signature type", 0, 0x01, UC3_SIG_BAD, true },
		{ "signature, first byte", 0, 0x01, UC3_SIG_BAD, true },
		{ "signature, last byte", 0, 0x80, UC3_SIG_BAD, true },
	};
	size_t at[sizeof(flips) / sizeof(flips[0])];
	/* A spoilt signature of a key not handled here may fail before its key is read. */
	int broken = in_process ? 1 : -1;

	bare_key[strcspn(bare_key, " ") + 1 + strcspn(bare_key + strcspn(bare_key, " ") + 1, " ")] =
		'\0';
	unarmour(&blob, sig);
	layout_of(&l, &blob);
	at[0] = 0;
	at[1] = 5;
	at[2] = at[3] = 9;
	at[4] = l.key + 3;
	at[5] = l.keytype + 4;
	at[6] = l.keyend - 1;
	at[7] = l.ns + 3;
	at[8] = l.ns + 4;
	at[9] = l.hashalg + 8;
	at[10] = l.sig + 3;
	at[11] = l.sigtype + 5;
	at[12] = l.sigbytes + 4;
	at[13] = l.end - 1;

	same_verdict("good", PAYLOAD, sig, own, 1, UC3_SIG_GOOD, in_process);
	same_verdict("good, among other keys", PAYLOAD, sig, several, 3, UC3_SIG_GOOD, in_process);
	same_verdict("good, key without comment", PAYLOAD, sig, (const char *[]){ bare_key }, 1,
		     UC3_SIG_GOOD, in_process);
	same_verdict("payload changed", changed, sig, own, 1, UC3_SIG_BAD, in_process);
	same_verdict("a key not in the list", PAYLOAD, sig, others, 1, UC3_SIG_OTHER_KEY,
		     in_process);
	same_verdict("empty key list", PAYLOAD, sig, NULL, 0, UC3_SIG_OTHER_KEY, in_process);
	same_verdict("an OpenPGP fingerprint only", PAYLOAD, sig, fpr_only, 1, UC3_SIG_OTHER_KEY,
		     in_process);
	same_verdict("wrong namespace", PAYLOAD, other_ns, own, 1, UC3_SIG_BAD, in_process);
	same_verdict("wrong namespace, key not given", PAYLOAD, other_ns, NULL, 0, UC3_SIG_BAD,
		     in_process);
	if (!all)
		goto out;
	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		int decided = flips[i].in_process ? broken : 0;

		v = flipped(sig, at[i], flips[i].mask);
		same_verdict(flips[i].what, PAYLOAD, v, own, 1, flips[i].want,
			     flips[i].want == UC3_SIG_GOOD ? in_process : decided);
		free(v);
	}

	/* The armour. */
	v = replaced(sig, "-----END SSH SIGNATURE-----\n", "");
	same_verdict("no END line", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
	free(v);
	v = strndup(sig, strlen(sig) / 2);
	same_verdict("cut in half", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
	free(v);
	for (i = 1; i <= 4; i++) {
		char *line = strchr(sig, '\n') + 1, *nl = strchr(line, '\n');

		uc3_buf_reset(&b);
		uc3_buf_add(&b, sig, (size_t)(nl - sig) - i);
		uc3_buf_adds(&b, nl);
		same_verdict("a base64 line cut", PAYLOAD, b.ptr, own, 1, UC3_SIG_BAD, broken);
	}
	v = replaced(sig, "-----BEGIN SSH SIGNATURE-----\n", "-----BEGIN SSH SIGNATURE-----\r\n");
	same_verdict("CRLF after the header", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
	free(v);
	uc3_buf_reset(&b);
	for (i = 0; sig[i]; i++)
		if (sig[i] != '\n' || !strncmp(sig + i + 1, "-----", 5) ||
		    (i > 0 && !strncmp(sig + i - 5, "-----", 5)))
			uc3_buf_addch(&b, sig[i]);
		else
			uc3_buf_adds(&b, " \t");
	same_verdict("base64 on one line, blanks between", PAYLOAD, b.ptr, own, 1, UC3_SIG_GOOD,
		     in_process);
	uc3_buf_reset(&b);
	uc3_buf_addf(&b, "%snot a signature\n", sig);
	same_verdict("words after the END line", PAYLOAD, b.ptr, own, 1, UC3_SIG_GOOD, in_process);
	if (strstr(sig, "=\n-----END")) {
		v = replaced(sig, "=\n-----END", "\n-----END");
		same_verdict("padding cut", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
		free(v);
	}
	v = replaced(sig, "\n-----END", "!\n-----END");
	same_verdict("not base64", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
	free(v);

	/* The blob, rebuilt. */
	v = resized(sig, true);
	same_verdict("a byte too many", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
	free(v);
	v = resized(sig, false);
	same_verdict("a byte short", PAYLOAD, v, own, 1, UC3_SIG_BAD, broken);
	free(v);
	v = rebuilt(sig, "x", NULL);
	same_verdict("reserved not empty", PAYLOAD, v, own, 1, UC3_SIG_GOOD, in_process);
	free(v);
	if (k == RSA2048 || k == RSA3072) {
		v = rebuilt(sig, "", "ssh-rsa");
		same_verdict("ssh-rsa (SHA-1) signature type", PAYLOAD, v, own, 1, UC3_SIG_BAD,
			     in_process);
		free(v);
		v = rebuilt(sig, "", "rsa-sha2-256");
		same_verdict("rsa-sha2-256 for a rsa-sha2-512 signature", PAYLOAD, v, own, 1,
			     UC3_SIG_BAD, broken);
		free(v);
	}
	if (k == ED) {
		v = rebuilt(sig, "", "ssh-rsa");
		same_verdict("an RSA signature type with an ed25519 key", PAYLOAD, v, own, 1,
			     UC3_SIG_BAD, broken);
		free(v);
	}

out:
	uc3_buf_release(&blob);
	uc3_buf_release(&b);
	free(bare_key);
	free(changed);
	free(sig);
	free(other_ns);
}

static void
ed25519_matches_ssh_keygen(void **state)
{
	variants(ED, NULL, true, true);
	variants(ED, "sha256", true, false);
}

static void
rsa_2048_matches_ssh_keygen(void **state)
{
	variants(RSA2048, "sha512", true, true);
	variants(RSA2048, "sha256", true, false);
}

static void
rsa_3072_matches_ssh_keygen(void **state)
{
	variants(RSA3072, "sha256", true, true);
}

static void
ecdsa_is_left_to_ssh_keygen(void **state)
{
	variants(ECDSA, NULL, false, false);
}

static void
an_ecdsa_key_in_the_list_leaves_it_to_ssh_keygen(void **state)
{
	char *sig = sign_with(ED, "git", NULL);
	const char *keys[] = { fx.pub[ECDSA], fx.pub[ED] };

	same_verdict("ecdsa and ed25519 listed", PAYLOAD, sig, keys, 2, UC3_SIG_GOOD, false);
	same_verdict("ecdsa listed", PAYLOAD, sig, keys, 1, UC3_SIG_OTHER_KEY, false);
	free(sig);
}

static void
garbage_is_bad(void **state)
{
	const char *own[] = { fx.pub[ED] };
	const char *junk[] = {
		"-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\n\n-----END SSH SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\naGVsbG8gd29ybGQ=\n-----END SSH SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\nnot base64 at all\n-----END SSH SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----",
	};
	size_t i;

	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		same_verdict(junk[i], PAYLOAD, junk[i], own, 1, UC3_SIG_BAD, true);
		same_verdict(junk[i], PAYLOAD, junk[i], NULL, 0, UC3_SIG_BAD, true);
	}
	print_message("%d signatures compared with ssh-keygen\n", fx.cases);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ed25519_matches_ssh_keygen),
		cmocka_unit_test(rsa_2048_matches_ssh_keygen),
		cmocka_unit_test(rsa_3072_matches_ssh_keygen),
		cmocka_unit_test(ecdsa_is_left_to_ssh_keygen),
		cmocka_unit_test(an_ecdsa_key_in_the_list_leaves_it_to_ssh_keygen),
		cmocka_unit_test(garbage_is_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
