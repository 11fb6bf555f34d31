/*
 * A main() for builds without libFuzzer (gcc + ASan): replay the files
 * named on the command line (or, with none, one input from stdin) through
 * LLVMFuzzerTestOneInput. Included at the end of each harness.
 */
#ifndef UC3_LIBFUZZER

#include <stdio.h>
#include <stdlib.h>

static int
replay(FILE *f, const char *name)
{
	unsigned char *data = NULL;
	size_t len = 0, alloc = 0, n;

	for (;;) {
		if (alloc - len < 4096) {
			alloc = alloc ? alloc * 2 : 65536;
			data = realloc(data, alloc);
			if (!data) {
				fprintf(stderr, "%s: out of memory\n", name);
				return 1;
			}
		}
		n = fread(data + len, 1, alloc - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", name);
		free(data);
		return 1;
	}
	/* Exactly len bytes, like libFuzzer gives: no NUL after them. */
	data = realloc(data, len ? len : 1);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 2)
		return replay(stdin, "<stdin>");
	for (i = 1; i < argc; i++) {
		FILE *f;

		if (argv[i][0] == '-') /* libFuzzer-style options: ignored */
			continue;
		f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		fprintf(stderr, "replay %s\n", argv[i]);
		rc |= replay(f, argv[i]);
		fclose(f);
	}
	return rc;
}

#endif
