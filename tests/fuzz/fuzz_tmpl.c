/*
 * uc3_tmpl_render. Input layout:
 *   byte 0     bit 0: mode (0 body, 1 header); bit 1 with bit 0 clear: html
 *   bytes 1-2  n, big-endian: the next n bytes (cut to what is there) are
 *              a YAML context, parsed with uc3_ydoc_parse (not a map or
 *              invalid: an empty map is used)
 *   the rest   the template, handed over as exactly its bytes (no NUL
 *              after them), as tmpl.h's tmpl[0..len) allows
 *
 * UC3_FUZZ_TMPL_NUL=1 in the environment puts a NUL after the template,
 * to fuzz past a read beyond tmpl[len) (strstr on the template) while
 * that is not fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "tmpl.h"
#include "ydoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CTX_MAX 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc3_ynode *ctx = NULL;
	struct uc3_buf out = UC3_BUF_INIT;
	enum uc3_tmpl_mode mode;
	size_t n;
	char *tmpl;
	static int nul = -1;

	if (size < 3)
		return 0;
	mode = (data[0] & 1) ? UC3_TMPL_HEADER : (data[0] & 2) ? UC3_TMPL_HTML : UC3_TMPL_BODY;
	n = ((size_t)data[1] << 8) | data[2];
	data += 3;
	size -= 3;
	if (n > size)
		n = size;
	if (n > CTX_MAX)
		return 0;
	if (uc3_ydoc_parse(&ctx, (const char *)data, n, "ctx.yaml", CTX_MAX) < 0 ||
	    ctx->type != UC3_YMAP) {
		uc3_ynode_free(ctx);
		ctx = uc3_ynode_map(UC3_YSTYLE_ANY);
	}
	data += n;
	size -= n;
	if (nul < 0) {
		const char *e = getenv("UC3_FUZZ_TMPL_NUL");

		nul = e && *e == '1';
	}
	tmpl = malloc(size + (size_t)nul + 1);
	if (!tmpl)
		abort();
	memcpy(tmpl, data, size);
	if (nul)
		tmpl[size] = '\0';
	else
		tmpl = realloc(tmpl, size ? size : 1); /* exactly size bytes */
	if (uc3_tmpl_render(&out, tmpl, size, ctx, mode, "fuzz.tmpl") == 0 &&
	    mode == UC3_TMPL_HEADER && !memchr(tmpl, '\n', size) && !memchr(tmpl, '\r', size) &&
	    (memchr(out.ptr, '\n', out.len) || memchr(out.ptr, '\r', out.len))) {
		/* Header mode: a value must never break the line. */
		fprintf(stderr, "a value broke a header line:\n%s\n", out.ptr);
		abort();
	}
	if (mode == UC3_TMPL_HTML && out.len && !memchr(tmpl, '<', size) &&
	    !memchr(tmpl, '>', size) && !memchr(tmpl, '"', size) && !memchr(tmpl, '\'', size) &&
	    strpbrk(out.ptr, "<>\"'")) {
		/* HTML mode: a value is text, never markup nor the end of an attribute. */
		fprintf(stderr, "a value made markup:\n%s\n", out.ptr);
		abort();
	}
	free(tmpl);
	uc3_ynode_free(ctx);
	uc3_buf_release(&out);
	return 0;
}

#include "fuzz_main.h"
