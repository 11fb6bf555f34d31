/*
 * uc3_ydoc_parse on arbitrary bytes. When a document parses, it is also
 * emitted, read back and compared: the writer must give text the strict
 * reader accepts, holding the same tree (ydoc.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "error.h"
#include "ydoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BYTES (1024 * 1024)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc3_ynode *root = NULL, *back = NULL;
	struct uc3_buf out = UC3_BUF_INIT;

	if (uc3_ydoc_parse(&root, (const char *)data, size, "fuzz.yaml", MAX_BYTES) < 0)
		return 0;
	if (uc3_ydoc_emit(&out, root) < 0) {
		fprintf(stderr, "emit failed on a parsed tree: %s\n", uc3_error_last());
		abort();
	}
	if (uc3_ydoc_parse(&back, out.ptr, out.len, "emitted.yaml", 16 * MAX_BYTES) < 0) {
		fprintf(stderr, "emitted text does not parse: %s\n---\n%s---\n", uc3_error_last(),
			out.ptr);
		abort();
	}
	if (!uc3_ynode_equal(root, back)) {
		fprintf(stderr, "emitted text reads as another tree\n---\n%s---\n", out.ptr);
		abort();
	}
	uc3_ynode_free(back);
	uc3_ynode_free(root);
	uc3_buf_release(&out);
	return 0;
}

#include "fuzz_main.h"
