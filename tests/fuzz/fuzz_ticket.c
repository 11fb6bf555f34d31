/*
 * uc3_ticket_parse, and the round trip ticket.h promises: when f parses,
 * f1 = format(parse(f)) must parse again, and format of that must give
 * f1 byte for byte (format(parse(f)) == f for any f that format wrote).
 * A broken round trip abort()s so that libFuzzer keeps the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc3_ticket *t = NULL, *t2 = NULL;
	struct uc3_buf f1 = UC3_BUF_INIT, f2 = UC3_BUF_INIT;
	enum uc3_status st;

	/* Must not read out of bounds, whatever it answers. */
	(void)uc3_ticket_peek_status(&st, (const char *)data, size);

	if (uc3_ticket_parse(&t, (const char *)data, size, "fuzz.yaml") < 0)
		return 0;
	if (uc3_ticket_format(&f1, t) < 0) {
		fprintf(stderr, "format failed on a parsed ticket: %s\n", uc3_error_last());
		abort();
	}
	if (uc3_ticket_parse(&t2, f1.ptr, f1.len, "formatted.yaml") < 0) {
		fprintf(stderr, "format(parse(f)) does not parse: %s\n---\n%s---\n",
			uc3_error_last(), f1.ptr);
		abort();
	}
	if (uc3_ticket_format(&f2, t2) < 0) {
		fprintf(stderr, "format failed on a re-parsed ticket: %s\n", uc3_error_last());
		abort();
	}
	if (f1.len != f2.len || memcmp(f1.ptr, f2.ptr, f1.len)) {
		fprintf(stderr, "format is not stable\n--- first\n%s--- second\n%s---\n", f1.ptr,
			f2.ptr);
		abort();
	}
	/* What peek_status says of text format wrote must be the truth. */
	if (uc3_ticket_peek_status(&st, f1.ptr, f1.len) && st != t->status) {
		fprintf(stderr, "peek_status says %s, the ticket is %s\n---\n%s---\n",
			uc3_status_name(st), uc3_status_name(t->status), f1.ptr);
		abort();
	}
	uc3_ticket_free(t2);
	uc3_ticket_free(t);
	uc3_buf_release(&f1);
	uc3_buf_release(&f2);
	return 0;
}

#include "fuzz_main.h"
