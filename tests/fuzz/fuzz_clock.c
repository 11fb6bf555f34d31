/*
 * uc3_clock_parse (and the duration reader). Input layout:
 *   byte 0    picks the zone handed to uc3_clock_parse (NULL or a zone)
 *   the rest  the text, cut at the first NUL
 * A timestamp that parses is formatted in the same zone and read back:
 * it must give the same instant (clock.h: format writes years 0000-9999
 * or refuses).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const zones[] = {
	NULL,
	"UTC",
	"Asia/Jakarta",
	"America/New_York",
	"Europe/London",
	"Australia/Lord_Howe",
	"Pacific/Chatham",
	"America/St_Johns",
	"Africa/Casablanca",
	"Pacific/Kiritimati",
	"Europe/Dublin",
	"Nope/Zone",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc3_buf out = UC3_BUF_INIT;
	const char *tz;
	char *s;
	time_t t, t2;
	long d;

	if (size < 1 || size > 256)
		return 0;
	tz = zones[data[0] % (sizeof(zones) / sizeof(zones[0]))];
	s = malloc(size);
	if (!s)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	if (uc3_clock_parse(&t, s, tz) == 0) {
		const char *ftz = tz && strcmp(tz, "Nope/Zone") ? tz : NULL;

		uc3_clock_short_of(&out, s, ftz);
		uc3_buf_reset(&out);
		if (uc3_clock_format(&out, t, ftz) == 0) {
			if (uc3_clock_parse(&t2, out.ptr, NULL) < 0) {
				fprintf(stderr, "'%s' -> %lld -> '%s' does not parse: %s\n", s,
					(long long)t, out.ptr, uc3_error_last());
				abort();
			}
			if (t2 != t) {
				fprintf(stderr, "'%s' -> %lld -> '%s' -> %lld\n", s, (long long)t,
					out.ptr, (long long)t2);
				abort();
			}
		}
	}
	uc3_buf_reset(&out);
	if (uc3_clock_parse_duration(&d, s) == 0) {
		if (d <= 0) {
			fprintf(stderr, "duration '%s' gives %ld\n", s, d);
			abort();
		}
		uc3_clock_format_duration(&out, d);
	}
	uc3_buf_release(&out);
	free(s);
	return 0;
}

#include "fuzz_main.h"
