#define PCRE2_CODE_UNIT_WIDTH 8
#include "rx.h"

#include <pcre2.h>
#include <stdlib.h>

#include "error.h"
#include "xalloc.h"

struct uc3_rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

int
uc3_rx_compile(struct uc3_rx **out, const char *pattern, int flags)
{
	struct uc3_rx *rx;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	int errcode;
	PCRE2_SIZE erroff;

	if (flags & UC3_RX_ICASE)
		opts |= PCRE2_CASELESS;
	rx = uc3_xcalloc(1, sizeof(*rx));
	rx->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &errcode,
				 &erroff, NULL);
	if (!rx->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		free(rx);
		return uc3_error_set(UC3_EINVAL, "invalid pattern '%s' at offset %zu: %s", pattern,
				     (size_t)erroff, (char *)msg);
	}
	/* JIT where the platform has it; the interpreter otherwise. */
	pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
	rx->md = pcre2_match_data_create_from_pattern(rx->code, NULL);
	rx->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(rx->mctx, 1000000);
	pcre2_set_depth_limit(rx->mctx, 10000);
	*out = rx;
	return 0;
}

int
uc3_rx_match(const struct uc3_rx *rx, const char *s, size_t len)
{
	int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, len, 0, 0, rx->md, rx->mctx);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	{
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		return uc3_error_set(UC3_ERROR, "pattern matching failed: %s", (char *)msg);
	}
}

void
uc3_rx_free(struct uc3_rx *rx)
{
	if (!rx)
		return;
	pcre2_match_data_free(rx->md);
	pcre2_match_context_free(rx->mctx);
	pcre2_code_free(rx->code);
	free(rx);
}
