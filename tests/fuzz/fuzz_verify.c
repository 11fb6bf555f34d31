/*
 * uc3_verify over crafted commits. The input is a commit message, a NUL,
 * then the new contents of a ticket file (no NUL: the whole input is the
 * message and the file is left as it was). Once per process a bare
 * records repository is made in a temporary directory (single-user, the
 * policy below, one ticket registered); for each input the ticket is
 * put back as it was registered, then the input is committed on top, as
 * uc3 would commit a step of that ticket, and that commit alone is
 * audited (parent..commit), so that an input always meets the same
 * ticket. The repository is made again every 32 inputs: the audit looks
 * for the root of trust in the whole history, which would otherwise grow
 * with every input. Any finding is fine; a sanitizer report, or the
 * audit failing to read the history, is a bug.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "ops.h"
#include "records.h"
#include "store.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy[] = "office: Fuzz\n"
			     "id_prefix: UC3\n"
			     "timezone: Asia/Jakarta\n"
			     "require_signed: false\n"
			     "roles:\n"
			     "  - {id: staf, name: Staf}\n"
			     "  - {id: wakor, name: Wakor}\n"
			     "  - {id: kabiro, name: Kabiro}\n"
			     "steps: {staf: 5m, wakor: 1h, kabiro: 30m, deliver: 5m, archive: 5m}\n"
			     "calendar:\n"
			     "  hours: always\n"
			     "kinds: [keluhan, saran]\n"
			     "channels: [email, telepon]\n"
			     "people: []\n";

static struct uc3_store *st;
static char dir[512];
static char *ticket_path;
static struct uc3_buf registered = UC3_BUF_INIT;
static unsigned inputs;

struct input {
	const char *path, *file, *msg;
	size_t file_len, msg_len;
};

static int
edit(struct uc3_write *w, struct uc3_store *s, void *ctx)
{
	struct input *in = ctx;

	(void)s;
	uc3_buf_add(uc3_write_add(w, in->path), in->file, in->file_len);
	uc3_buf_add(&w->message, in->msg, in->msg_len);
	return 0;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void
cleanup(void)
{
	uc3_store_free(st);
	st = NULL;
	free(ticket_path);
	ticket_path = NULL;
	uc3_buf_release(&registered);
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_verify: %s: %s\n", what, uc3_error_last());
	abort();
}

/* The repository every input is committed to, made once. */
static void
setup(void)
{
	char cfg[600], repo[600];
	struct input in = { 0 };
	struct uc3_new_input n = { 0 };
	char *id = NULL;
	bool existed;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/uc3-fuzz-verify-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
	snprintf(cfg, sizeof(cfg), "%s/gitconfig", dir);
	f = fopen(cfg, "w");
	if (!f || fputs("[user]\n\tname = Fuzz\n\temail = fuzz@example.com\n", f) < 0 || fclose(f))
		abort();
	setenv("HOME", dir, 1);
	setenv("GIT_CONFIG_GLOBAL", cfg, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("UC3_NO_GC", "1", 1);
	setenv("UC3_NOW", "2026-11-27T09:00:00+07:00", 1);
	unsetenv("UC3_DIR");
	snprintf(repo, sizeof(repo), "%s/records.git", dir);
	if (uc3_store_init(&st, repo, true, &existed) < 0)
		fail("init");
	uc3_store_set_timezone(st, "Asia/Jakarta");
	in.path = UC3_POLICY_FILE;
	in.file = policy;
	in.file_len = sizeof(policy) - 1;
	in.msg = "Start the records\n";
	in.msg_len = strlen(in.msg);
	if (uc3_store_write(st, edit, &in, NULL) < 0)
		fail("write the policy");
	uc3_store_free(st);
	if (uc3_store_open(&st, repo) < 0)
		fail("open");
	n.subject = "Pembayaran UKT belum terverifikasi";
	n.kind = "keluhan";
	n.channel = "email";
	n.from = "Siti Aminah <siti@example.com>";
	n.body = "Sudah bayar.";
	n.body_len = strlen(n.body);
	if (uc3_op_new(&id, st, &n, NULL) < 0 || uc3_records_find(&ticket_path, st, id) < 0 ||
	    uc3_store_read(&registered, st, ticket_path) < 0)
		fail("new");
	free(id);
	/* The steps come later that day: the inputs are committed at noon. */
	setenv("UC3_NOW", "2026-11-27T12:00:00+07:00", 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	struct input in = { 0 }, back = { 0 };
	struct uc3_write_result res;
	struct uc3_verify_result r;
	struct uc3_verify_opts o = { 0 };
	struct uc3_buf range = UC3_BUF_INIT;
	char parent[41];

	if (st && ++inputs % 32 == 0)
		cleanup();
	if (!st) {
		static bool registered;

		if (!registered && atexit(cleanup) == 0)
			registered = true;
		setup();
	}
	back.path = in.path = ticket_path;
	back.file = registered.ptr;
	back.file_len = registered.len;
	back.msg = "back\n";
	back.msg_len = 5;
	if (uc3_store_write(st, edit, &back, NULL) < 0)
		fail("put the ticket back");
	in.msg = (const char *)data;
	in.msg_len = nul ? (size_t)(nul - (const char *)data) : size;
	in.file = nul ? nul + 1 : registered.ptr;
	in.file_len = nul ? size - in.msg_len - 1 : registered.len;
	snprintf(parent, sizeof(parent), "%s", uc3_store_tip(st));
	if (uc3_store_write(st, edit, &in, &res) < 0)
		fail("commit the input");
	uc3_buf_addf(&range, "%s..%s", parent, res.commit);
	uc3_write_result_release(&res);
	o.range = range.ptr;
	o.skew = 300;
	o.use_cache = false;
	if (uc3_verify(&r, st, &o) < 0)
		fail("verify");
	/* UC3_FUZZ_VERBOSE=1: what the audit says of each input (to read a corpus). */
	if (getenv("UC3_FUZZ_VERBOSE")) {
		size_t i;

		for (i = 0; i < r.nfindings; i++)
			fprintf(stderr, "finding: %s\n", r.findings[i].what);
		fprintf(stderr, "%zu findings\n", r.nfindings);
	}
	uc3_verify_result_release(&r);
	uc3_buf_release(&range);
	return 0;
}

#include "fuzz_main.h"
