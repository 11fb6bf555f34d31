/*
 * SSHSIG checked in process. Why OpenSSL's libcrypto and not libsodium:
 * libsodium has no RSA, and libcrypto.so.3 is already loaded by every uc3
 * process (libgit2 links libssh2, which links it), so this costs no
 * start-up time. The format and every check below follow OpenSSH's own
 * reading of a signature (sshsig.c, sshkey.c, ssh-ed25519.c, ssh-rsa.c of
 * the OpenSSH the tests run against), so that the verdict is the one
 * ssh-keygen gives; where libcrypto could answer otherwise than OpenSSH
 * (an ed25519 scalar that is not reduced, a point not in canonical form,
 * an unusual RSA exponent) the signature is left to ssh-keygen.
 */
#include "sshsig.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "buf.h"

#define BEGIN_ARMOUR "-----BEGIN SSH SIGNATURE-----\n"
#define END_ARMOUR   "\n-----END SSH SIGNATURE-----"
#define ED25519_PK   32
#define ED25519_SIG  64
#define RSA_MIN_BITS 1024 /* OpenSSH's SSH_RSA_MINIMUM_MODULUS_SIZE */
#define BIGNUM_MAX   2048 /* OpenSSH's SSHBUF_MAX_BIGNUM, in bytes */
#define MAX_KEYS     16	  /* policy keys of one person checked here; more: ssh-keygen */

/* A slice of bytes being read, as OpenSSH's sshbuf reads its strings. */
struct rd {
	const unsigned char *p;
	size_t n;
};

/* A public key this module handles: ed25519, or RSA (e and n, no leading zeros). */
struct key {
	bool rsa;
	struct rd pk; /* ed25519 */
	struct rd e, n;
};

static bool
get_u32(struct rd *r, uint32_t *v)
{
	if (r->n < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 |
	     (uint32_t)r->p[3];
	r->p += 4;
	r->n -= 4;
	return true;
}

/* A uint32 length and that many bytes. */
static bool
get_string(struct rd *r, struct rd *s)
{
	uint32_t n;
	struct rd save = *r;

	if (!get_u32(r, &n) || n > r->n) {
		*r = save;
		return false;
	}
	s->p = r->p;
	s->n = n;
	r->p += n;
	r->n -= n;
	return true;
}

/* A string that must hold no NUL byte (sshbuf_get_cstring). */
static bool
get_cstring(struct rd *r, struct rd *s)
{
	return get_string(r, s) && !memchr(s->p, '\0', s->n);
}

/*
 * An mpint as sshbuf_get_bignum2_bytes_direct takes it: never negative,
 * at most BIGNUM_MAX bytes besides a zero for the sign, leading zeros
 * dropped.
 */
static bool
get_mpint(struct rd *r, struct rd *v)
{
	if (!get_string(r, v))
		return false;
	if (v->n && (v->p[0] & 0x80))
		return false;
	if (v->n > BIGNUM_MAX + 1 || (v->n == BIGNUM_MAX + 1 && v->p[0] != 0))
		return false;
	while (v->n && v->p[0] == 0) {
		v->p++;
		v->n--;
	}
	return true;
}

static bool
is(const struct rd *s, const char *lit)
{
	return s->n == strlen(lit) && !memcmp(s->p, lit, s->n);
}

static bool
same(const struct rd *a, const struct rd *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

static bool
b64_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64 s[0..n) (read up to a NUL, as a C string) into out, as OpenSSH's
 * b64_pton decodes it: blanks anywhere are skipped, "=" padding is
 * optional but must be right when present, nothing but blanks after it,
 * and the bits the padding leaves over must be zero. Returns false on
 * anything else.
 */
static bool
b64_decode(struct uc3_buf *out, const char *s, size_t n)
{
	const char *end = s + n;
	unsigned int acc = 0;
	int state = 0, v;

	while (s < end && *s) {
		int c = (unsigned char)*s++;

		if (b64_space(c))
			continue;
		if (c == '=') {
			/* Two pads after two digits, one after three. */
			if (state < 2)
				return false;
			if (state == 2) {
				while (s < end && *s && b64_space((unsigned char)*s))
					s++;
				if (s == end || *s != '=')
					return false;
				s++;
			}
			while (s < end && *s)
				if (!b64_space((unsigned char)*s++))
					return false;
			/* The bits of the last digit that make no byte. */
			return (acc & (state == 2 ? 0x0f : 0x03)) == 0;
		}
		if ((v = b64_value(c)) < 0)
			return false;
		acc = acc << 6 | (unsigned int)v;
		switch (state) {
		case 0:
			break;
		case 1:
			uc3_buf_addch(out, (char)(acc >> 4 & 0xff));
			break;
		case 2:
			uc3_buf_addch(out, (char)(acc >> 2 & 0xff));
			break;
		case 3:
			uc3_buf_addch(out, (char)(acc & 0xff));
			acc = 0;
			break;
		}
		state = (state + 1) % 4;
	}
	return state == 0;
}

/*
 * A public key blob (string type, then the key's fields) as sshkey_froms
 * reads it. Returns 1 with *k set, 0 for a key of a type not handled here
 * (ssh-keygen decides), -1 for a blob OpenSSH does not read.
 */
static int
parse_key(struct key *k, struct rd blob)
{
	struct rd type;

	memset(k, 0, sizeof(*k));
	if (!get_cstring(&blob, &type))
		return -1;
	if (is(&type, "ssh-ed25519")) {
		if (!get_string(&blob, &k->pk) || k->pk.n != ED25519_PK || blob.n)
			return -1;
		return 1;
	}
	if (is(&type, "ssh-rsa")) {
		size_t bits;
		unsigned char top;

		k->rsa = true;
		if (!get_mpint(&blob, &k->e) || !get_mpint(&blob, &k->n) || blob.n || !k->n.n)
			return -1;
		for (bits = k->n.n * 8, top = k->n.p[0]; !(top & 0x80); top <<= 1)
			bits--;
		if (bits < RSA_MIN_BITS)
			return -1;
		/*
		 * An exponent OpenSSL could judge otherwise than OpenSSH (even,
		 * 1, or over 64 bits on a large modulus): ssh-keygen's say.
		 */
		if (!k->e.n || k->e.n > 8 || !(k->e.p[k->e.n - 1] & 1) ||
		    (k->e.n == 1 && k->e.p[0] == 1))
			return 0;
		return 1;
	}
	return 0;
}

static bool
same_key(const struct key *a, const struct key *b)
{
	if (a->rsa != b->rsa)
		return false;
	return a->rsa ? same(&a->e, &b->e) && same(&a->n, &b->n) : same(&a->pk, &b->pk);
}

/*
 * A policy key line, "ssh-ed25519 AAAA... comment", into k; its blob is
 * kept in blob. Returns 1, or 0 when ssh-keygen should read it instead
 * (another type, or anything unusual: ssh-keygen's reading of a bad line
 * in an allowed-signers file is its own).
 */
static int
policy_key(struct key *k, struct uc3_buf *blob, const char *line)
{
	size_t tl = strcspn(line, " \t"), bl;
	const char *b64 = line + tl;
	struct rd r, type;

	while (*b64 == ' ' || *b64 == '\t')
		b64++;
	bl = strcspn(b64, " \t\r\n");
	if (!bl || !b64_decode(blob, b64, bl))
		return 0;
	r.p = (const unsigned char *)blob->ptr;
	r.n = blob->len;
	if (!get_cstring(&r, &type) || type.n != tl || memcmp(type.p, line, tl))
		return 0;
	r.p = (const unsigned char *)blob->ptr;
	r.n = blob->len;
	return parse_key(k, r) == 1;
}

/*
 * An address ssh-keygen matches as itself: in the allowed-signers file it
 * is a pattern list, so one with a comma, a wildcard, a negation, a quote
 * or a blank is left to ssh-keygen.
 */
static bool
plain_principal(const char *p)
{
	if (!p || !*p || *p == '#')
		return false;
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr(",*?!\"", *p))
			return false;
	return true;
}

/* 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const unsigned char ed25519_l[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
					     0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
					     0,	   0,	 0,    0,    0,	   0,	 0,    0,
					     0,	   0,	 0,    0,    0,	   0,	 0,    0x10 };

/* s[0..32) (little-endian) >= the group order. */
static bool
scalar_not_reduced(const unsigned char *s)
{
	int i;

	for (i = 31; i >= 0; i--)
		if (s[i] != ed25519_l[i])
			return s[i] > ed25519_l[i];
	return true;
}

/* A point's y (little-endian, sign bit aside) >= 2^255 - 19. */
static bool
point_not_canonical(const unsigned char *y)
{
	int i;

	if ((y[31] & 0x7f) != 0x7f || y[0] < 0xed)
		return false;
	for (i = 1; i < 31; i++)
		if (y[i] != 0xff)
			return false;
	return true;
}

/* 1 valid, 0 not, -1 libcrypto failed (leave it to ssh-keygen). */
static int
ed25519_verify(const struct key *k, const unsigned char *sig, const unsigned char *msg,
	       size_t msglen)
{
	EVP_PKEY *pkey;
	EVP_MD_CTX *ctx;
	int ok;

	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->pk.p, k->pk.n);
	if (!pkey)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) != 1)
		ok = -1;
	else
		ok = EVP_DigestVerify(ctx, sig, ED25519_SIG, msg, msglen) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ok;
}

/* The RSA public key (n, e) as libcrypto wants it; NULL on failure. */
static EVP_PKEY *
rsa_pkey(const struct key *k)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = BN_bin2bn(k->n.p, (int)k->n.n, NULL);
	BIGNUM *e = BN_bin2bn(k->e.p, (int)k->e.n, NULL);

	if (!bld || !n || !e || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) ||
	    EVP_PKEY_fromdata_init(pctx) != 1 ||
	    EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

/*
 * PKCS#1 v1.5 with md over msg. sig is as long as the modulus or shorter
 * (OpenSSH pads it with zeros in front); 1 valid, 0 not, -1 libcrypto
 * failed.
 */
static int
rsa_verify(const struct key *k, const EVP_MD *md, const struct rd *sig, const unsigned char *msg,
	   size_t msglen)
{
	EVP_PKEY *pkey = rsa_pkey(k);
	EVP_MD_CTX *ctx;
	unsigned char *padded;
	size_t modlen;
	int ok;

	if (!pkey)
		return -1;
	modlen = (size_t)EVP_PKEY_get_size(pkey);
	if (sig->n > modlen) {
		EVP_PKEY_free(pkey);
		return 0;
	}
	padded = calloc(1, modlen ? modlen : 1);
	ctx = EVP_MD_CTX_new();
	if (!padded || !ctx || EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) != 1) {
		ok = -1;
	} else {
		memcpy(padded + modlen - sig->n, sig->p, sig->n);
		ok = EVP_DigestVerify(ctx, padded, modlen, msg, msglen) == 1;
	}
	free(padded);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ok;
}

static void
put_string(struct uc3_buf *b, const void *p, size_t n)
{
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
				 (unsigned char)(n >> 8), (unsigned char)n };

	uc3_buf_add(b, len, 4);
	uc3_buf_add(b, p, n);
}

/*
 * Whether the signature wrapper wrap (string type, string bytes) over the
 * data tbs is valid for k: 1, 0, or -1 when it is for ssh-keygen to say.
 */
static int
check_signature(const struct key *k, struct rd wrap, const struct uc3_buf *tbs)
{
	struct rd type, bytes;

	if (!get_cstring(&wrap, &type))
		return 0;
	if (k->rsa) {
		const EVP_MD *md;

		/* As ssh-keygen: ssh-rsa (SHA-1) is refused. */
		if (is(&type, "rsa-sha2-256"))
			md = EVP_sha256();
		else if (is(&type, "rsa-sha2-512"))
			md = EVP_sha512();
		else
			return 0;
		if (!get_string(&wrap, &bytes) || wrap.n)
			return 0;
		return rsa_verify(k, md, &bytes, (const unsigned char *)tbs->ptr, tbs->len);
	}
	if (!is(&type, "ssh-ed25519") || !get_string(&wrap, &bytes) || wrap.n ||
	    bytes.n > ED25519_SIG)
		return 0;
	{
		/*
		 * OpenSSH verifies the signature bytes and the data as one
		 * signed message: bytes shorter than 64 take the rest from
		 * the data.
		 */
		struct uc3_buf sm = UC3_BUF_INIT;
		const unsigned char *s;
		int ok = 0;

		uc3_buf_add(&sm, bytes.p, bytes.n);
		uc3_buf_add(&sm, tbs->ptr, tbs->len);
		s = (const unsigned char *)sm.ptr;
		if (sm.len < ED25519_SIG || (s[63] & 0xe0))
			ok = 0;
		else if (scalar_not_reduced(s + 32) || point_not_canonical(s) ||
			 point_not_canonical(k->pk.p))
			ok = -1;
		else
			ok = ed25519_verify(k, s, s + ED25519_SIG, sm.len - ED25519_SIG);
		uc3_buf_release(&sm);
		return ok;
	}
}

/*
 * The armour taken off as sshsig_dearmor does: the header and its line
 * break at the very start, everything up to the first line break followed
 * by the footer is base64 (a NUL only as its last byte), and whatever
 * follows the footer is not looked at.
 */
static bool
dearmor(struct uc3_buf *blob, const char *sig, size_t siglen)
{
	const size_t bl = strlen(BEGIN_ARMOUR);
	const char *body, *end, *nul;
	size_t n;

	if (siglen < bl || memcmp(sig, BEGIN_ARMOUR, bl))
		return false;
	body = sig + bl;
	n = siglen - bl;
	end = memmem(body, n, END_ARMOUR, strlen(END_ARMOUR));
	if (!end)
		return false;
	n = (size_t)(end - body);
	nul = memchr(body, '\0', n);
	if (nul && nul != body + n - 1)
		return false;
	return b64_decode(blob, body, n);
}

enum uc3_sshsig
uc3_sshsig_verify(const char *payload, size_t len, const char *sig, size_t siglen,
		  const char *principal, const char *const *keys, size_t nkeys)
{
	struct uc3_buf blobs[MAX_KEYS], raw = UC3_BUF_INIT, tbs = UC3_BUF_INIT;
	struct key allowed[MAX_KEYS], signer;
	struct rd r, keyblob, ns, reserved, hashalg, wrap;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen;
	const EVP_MD *md;
	enum uc3_sshsig res = UC3_SSHSIG_UNHANDLED;
	size_t i, nallowed = 0;
	uint32_t version;
	int ok;

	for (i = 0; i < MAX_KEYS; i++)
		uc3_buf_init(&blobs[i]);
	/* The person's ssh keys, as the allowed-signers file would list them. */
	for (i = 0; i < nkeys; i++) {
		const char *k = keys[i];

		if (strncmp(k, "ssh-", 4) && strncmp(k, "ecdsa-", 6) && strncmp(k, "sk-", 3))
			continue;
		if (nallowed == MAX_KEYS || !policy_key(&allowed[nallowed], &blobs[nallowed], k))
			goto out;
		nallowed++;
	}
	if (nallowed && !plain_principal(principal))
		goto out;

	res = UC3_SSHSIG_BAD;
	if (!dearmor(&raw, sig, siglen))
		goto out;
	r.p = (const unsigned char *)raw.ptr;
	r.n = raw.len;
	if (r.n < 6 || memcmp(r.p, "SSHSIG", 6))
		goto out;
	r.p += 6;
	r.n -= 6;
	/* ssh-keygen takes any version up to its own, 1. */
	if (!get_u32(&r, &version) || version > 1)
		goto out;
	if (!get_string(&r, &keyblob) || !get_cstring(&r, &ns) || !get_string(&r, &reserved) ||
	    !get_cstring(&r, &hashalg) || !get_string(&r, &wrap) || r.n)
		goto out;
	if ((ok = parse_key(&signer, keyblob)) <= 0) {
		res = ok < 0 ? UC3_SSHSIG_BAD : UC3_SSHSIG_UNHANDLED;
		goto out;
	}
	if (!is(&ns, "git"))
		goto out;
	if (is(&hashalg, "sha256"))
		md = EVP_sha256();
	else if (is(&hashalg, "sha512"))
		md = EVP_sha512();
	else
		goto out;
	if (EVP_Digest(payload, len, digest, &dlen, md, NULL) != 1) {
		res = UC3_SSHSIG_UNHANDLED;
		goto out;
	}
	/* What was signed: the magic, namespace, reserved, hash name and H(message). */
	uc3_buf_add(&tbs, "SSHSIG", 6);
	put_string(&tbs, "git", 3);
	put_string(&tbs, "", 0);
	put_string(&tbs, hashalg.p, hashalg.n);
	put_string(&tbs, digest, dlen);
	ok = check_signature(&signer, wrap, &tbs);
	if (ok < 0) {
		res = UC3_SSHSIG_UNHANDLED;
		goto out;
	}
	if (!ok)
		goto out;
	res = UC3_SSHSIG_OTHER_KEY;
	for (i = 0; i < nallowed; i++)
		if (same_key(&allowed[i], &signer))
			res = UC3_SSHSIG_GOOD;
out:
	for (i = 0; i < MAX_KEYS; i++)
		uc3_buf_release(&blobs[i]);
	uc3_buf_release(&raw);
	uc3_buf_release(&tbs);
	return res;
}
