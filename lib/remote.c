#include "remote.h"

/*
 * uc3.remote: pull before a write, push after it (DESIGN section 7), by
 * running git itself, which knows the user's transports and credentials.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "run.h"
#include "store_int.h"

/*
 * With uc3.remote set, the central repository is the truth: before a
 * write the branch is brought up to it (fast-forward only), and a commit
 * is pushed before the local branch moves to it, so a write is either on
 * both or on neither. A push refused as not a fast-forward means somebody
 * else wrote first: the edit is done again on their tip.
 */
static int
git_in(struct uc3_store *st, struct uc3_buf *err, const char *a1, const char *a2, const char *a3,
       const char *a4, const char *a5)
{
	struct uc3_buf where = UC3_BUF_INIT;
	const char *argv[12];
	int status = 0, k = 0, rc;

	argv[k++] = "git";
	argv[k++] = "-c";
	argv[k++] = "advice.pushNonFFCurrent=false";
	if (st->workdir) {
		argv[k++] = "-C";
		argv[k++] = st->workdir;
	} else {
		uc3_buf_addf(&where, "--git-dir=%s", st->gitdir);
		argv[k++] = where.ptr;
	}
	argv[k++] = a1;
	argv[k++] = a2;
	argv[k++] = a3;
	argv[k++] = a4;
	argv[k++] = a5;
	argv[k] = NULL;
	rc = uc3_run(&status, argv, NULL, 0, NULL, err);
	uc3_buf_release(&where);
	return rc < 0 ? rc : status;
}

static const char *
short_branch(const struct uc3_store *st)
{
	return strncmp(st->refname, "refs/heads/", 11) ? st->refname : st->refname + 11;
}

static void
first_line_of(char *dst, size_t n, const struct uc3_buf *b)
{
	const char *p = b->ptr;

	while (*p == '\n')
		p++;
	snprintf(dst, n, "%.*s", (int)strcspn(p, "\n"), p);
}

int
uc3_store__remote_pull(struct uc3_store *st, const char *remote)
{
	struct uc3_buf err = UC3_BUF_INIT, spec = UC3_BUF_INIT;
	char why[300];
	int rc;

	if (st->workdir) {
		rc = git_in(st, &err, "pull", "--ff-only", "--quiet", remote, short_branch(st));
	} else {
		uc3_buf_addf(&spec, "%s:%s", st->refname, st->refname);
		rc = git_in(st, &err, "fetch", "--quiet", remote, spec.ptr, NULL);
	}
	first_line_of(why, sizeof(why), &err);
	uc3_buf_release(&err);
	uc3_buf_release(&spec);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return uc3_error_set(UC3_ERROR,
				     "cannot bring %s up to %s (%s); if they have diverged, "
				     "join them with git pull --rebase first; nothing was recorded",
				     short_branch(st), remote, why);
	st->pulled = true;
	return uc3_store__load_tip(st);
}

int
uc3_store__remote_push(struct uc3_store *st, const char *remote, const git_oid *id)
{
	struct uc3_buf err = UC3_BUF_INIT, spec = UC3_BUF_INIT;
	char hex[41], why[300];
	int rc;

	git_oid_tostr(hex, sizeof(hex), id);
	uc3_buf_addf(&spec, "%s:%s", hex, st->refname);
	rc = git_in(st, &err, "push", "--quiet", remote, spec.ptr, NULL);
	first_line_of(why, sizeof(why), &err);
	if (rc > 0) {
		/*
		 * Refused: if the central branch moved past the tip this commit
		 * was built on, somebody else wrote first (a non-fast-forward,
		 * or a lost race for the remote's ref lock): do it again there.
		 */
		git_oid base = st->tip;
		bool was_unborn = st->unborn;

		if (uc3_store__remote_pull(st, remote) == 0 && !st->unborn &&
		    (was_unborn || !git_oid_equal(&base, &st->tip)))
			rc = UC3_ECONFLICT;
		else
			rc = uc3_error_set(UC3_ERROR,
					   "cannot push to %s (%s); nothing was recorded", remote,
					   why);
	}
	uc3_buf_release(&err);
	uc3_buf_release(&spec);
	return rc;
}

int
uc3_remote_sync(struct uc3_store *st)
{
	char *remote = st->unborn ? NULL : uc3_store_config(st, "uc3.remote");
	git_index *idx = NULL;
	int lockfd = -1, rc = 0;

	if (!remote)
		return 0;
	if (st->workdir && (lockfd = uc3_store__lock_writers(st)) < 0)
		rc = UC3_ERROR;
	/* A ticket file left behind the branch would stop git pull. */
	if (rc == 0)
		rc = uc3_store__settle_worktree(st, &idx);
	if (rc == 0)
		rc = uc3_store__remote_pull(st, remote);
	if (rc == 0)
		rc = uc3_store__refresh_policy(st);
	git_index_free(idx);
	if (lockfd >= 0)
		close(lockfd);
	free(remote);
	return rc;
}
