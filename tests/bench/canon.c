/*
 * canon: check that ticket files are in the canonical layout uc3 writes.
 * Each file named on the command line (or each path read from stdin, one
 * a line, with no arguments) is parsed and formatted again with libuc3;
 * any file whose bytes differ is named on stderr. Exit 0 when all match.
 *
 * A developer's aid for tests/bench/gen.sh, built by hand (not by make):
 *   cc -std=c11 -D_GNU_SOURCE -Ilib -o /tmp/uc3-canon tests/bench/canon.c \
 *      build/libuc3.a $(pkg-config --libs libgit2 yaml-0.1 libpcre2-8)
 *   (cd REPO && find tickets -name '*.yaml' | /tmp/uc3-canon)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ticket.h"

static int
check(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct uc3_ticket *t = NULL;
	struct uc3_buf out;
	char *data = NULL;
	size_t len = 0, cap = 0, n;
	int bad = 1;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len + 4096 > cap)
			data = realloc(data, cap = (cap + 4096) * 2);
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	uc3_buf_init(&out);
	if (uc3_ticket_parse(&t, data, len, path)) {
		fprintf(stderr, "%s: %s\n", path, uc3_error_last());
	} else if (uc3_ticket_format(&out, t)) {
		fprintf(stderr, "%s: format: %s\n", path, uc3_error_last());
	} else if (out.len != len || memcmp(out.ptr, data, len)) {
		fprintf(stderr, "%s: not canonical; uc3 writes:\n%s", path, out.ptr);
	} else {
		bad = 0;
	}
	uc3_ticket_free(t);
	uc3_buf_release(&out);
	free(data);
	return bad;
}

int
main(int argc, char **argv)
{
	char line[4096];
	long files = 0, bad = 0;
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++, files++)
			bad += check(argv[i]);
	} else {
		while (fgets(line, sizeof(line), stdin)) {
			line[strcspn(line, "\n")] = '\0';
			if (*line) {
				bad += check(line);
				files++;
			}
		}
	}
	printf("%ld files, %ld not canonical\n", files, bad);
	return bad != 0;
}
