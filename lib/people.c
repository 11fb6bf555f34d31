#include "people.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "message.h"
#include "ops.h"
#include "remote.h"
#include "sign.h"
#include "ticket.h"
#include "xalloc.h"
#include "ydoc.h"

bool
uc3_people_email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	const char *p;

	for (p = e; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return at && at != e && at[1] && !strchr(at + 1, '@') && !strpbrk(e, " \t<>,;\"'");
}

static const char *
top_role(const struct uc3_policy *p)
{
	return p->roles[p->nroles - 1].id;
}

static bool
has_role(const struct uc3_person *who, const char *role)
{
	size_t i;

	for (i = 0; who && i < who->nroles; i++)
		if (!strcmp(who->roles[i], role))
			return true;
	return false;
}

/* The chain's role ids, "staf, wakor, ...", for messages. */
static void
chain(struct uc3_buf *b, const struct uc3_policy *p)
{
	size_t i;

	for (i = 0; i < p->nroles; i++)
		uc3_buf_addf(b, "%s%s", i ? ", " : "", p->roles[i].id);
}

/*
 * Once people are listed, the policy is the top role's: the tool says so
 * before writing, as verify would find it after.
 */
static int
may_change(const struct uc3_policy *p, const char *actor)
{
	const struct uc3_person *me;

	if (!p->npeople)
		return 0;
	me = uc3_policy_person(p, actor);
	if (!has_role(me, top_role(p)))
		return uc3_error_set(
			UC3_EINVAL,
			me ? N_("only a holder of the %s role may change the people of "
				"the policy, and %s does not hold it")
			   : N_("only a holder of the %s role may change the people of "
				"the policy, and %s is not one of them"),
			top_role(p), actor);
	return 0;
}

/* A shallow copy of the people (strings borrowed), with room for one more. */
static struct uc3_person *
copy_people(const struct uc3_policy *p)
{
	struct uc3_person *v = uc3_xcalloc(p->npeople + 1, sizeof(*v));

	if (p->npeople)
		memcpy(v, p->people, p->npeople * sizeof(*v));
	return v;
}

/*
 * The policy text with people replaced by v[0..n): written, parsed again,
 * and compared, so that a layout uc3 cannot edit is refused rather than
 * misread.
 */
static int
rewrite_people(struct uc3_buf *out, const char *text, size_t len, const struct uc3_person *v,
	       size_t n, bool require_signed)
{
	struct uc3_ynode *node = uc3_policy_people_node(v, n);
	struct uc3_buf tmp = UC3_BUF_INIT;
	struct uc3_policy *check = NULL;
	size_t i;
	int rc;

	rc = uc3_policy_rewrite(require_signed ? &tmp : out, text, len, "people", node);
	uc3_ynode_free(node);
	if (rc == 0 && require_signed) {
		node = uc3_ynode_scalar("true", UC3_YSTYLE_ANY);
		rc = uc3_policy_rewrite(out, tmp.ptr, tmp.len, "require_signed", node);
		uc3_ynode_free(node);
	}
	uc3_buf_release(&tmp);
	if (rc < 0)
		return rc;
	if ((rc = uc3_policy_parse(&check, out->ptr, out->len, UC3_POLICY_FILE)) < 0)
		return uc3_error_prefix(rc, "the policy as changed would not read");
	if (check->npeople != n)
		rc = UC3_EPOLICY;
	for (i = 0; rc == 0 && i < n; i++)
		if (strcmp(check->people[i].email, v[i].email) ||
		    check->people[i].nkeys != v[i].nkeys ||
		    check->people[i].nroles != v[i].nroles ||
		    check->people[i].service != v[i].service)
			rc = UC3_EPOLICY;
	uc3_policy_free(check);
	if (rc < 0)
		return uc3_error_set(UC3_EPOLICY,
				     "cannot change the people of uc3.yaml: its layout is not "
				     "one uc3 can edit; edit it by hand (see uc3-policy(5))");
	return 0;
}

int
uc3_people_signed_policy(struct uc3_buf *out, const char *text, size_t len,
			 const struct uc3_person *who)
{
	return rewrite_people(out, text, len, who, 1, true);
}

int
uc3_people_read_key(char **out, const char *arg)
{
	struct uc3_buf data = UC3_BUF_INIT;
	int fd = open(arg, O_RDONLY), rc;

	if (fd < 0) {
		if (!strncmp(arg, "ssh-", 4) || !strncmp(arg, "ecdsa-", 6) ||
		    !strncmp(arg, "sk-", 3) || !strncmp(arg, "key::", 5) || !strchr(arg, '/'))
			return uc3_sign_key_normalize(out, arg);
		return uc3_error_set(UC3_EINVAL, "--key %s: %s", arg, strerror(errno));
	}
	rc = uc3_buf_read_limited(&data, fd, 64 * 1024, arg);
	close(fd);
	if (rc == 0) {
		rc = uc3_sign_key_normalize(out, data.ptr ? data.ptr : "");
		if (rc < 0)
			rc = uc3_error_prefix(rc, "%s", arg);
	}
	uc3_buf_release(&data);
	return rc;
}

struct person_ctx {
	const struct uc3_person_input *in;
	const char *remove;
	char *key;
	const char *actor;
	bool first;
};

static int
person_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct person_ctx *c = vctx;
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_buf text = UC3_BUF_INIT, roles = UC3_BUF_INIT;
	struct uc3_person *v = NULL, *me;
	size_t n, i;
	int rc;

	if ((rc = may_change(p, c->actor)) < 0)
		goto out;
	if ((rc = uc3_store_read(&text, st, UC3_POLICY_FILE)) < 0)
		goto out;
	v = copy_people(p);
	n = p->npeople;
	if (c->remove) {
		const struct uc3_person *gone = uc3_policy_person(p, c->remove);
		size_t tops = 0;

		if (!gone) {
			rc = uc3_error_set(UC3_EINVAL, "%s is not one of the people of the policy",
					   c->remove);
			goto out;
		}
		for (i = 0; i < n; i++)
			if (has_role(&v[i], top_role(p)))
				tops++;
		if (has_role(gone, top_role(p)) && tops == 1) {
			rc = uc3_error_set(UC3_EINVAL,
					   "%s is the last person with the %s role, who alone may "
					   "change the policy: add another first",
					   gone->email, top_role(p));
			goto out;
		}
		i = (size_t)(gone - p->people);
		memmove(&v[i], &v[i + 1], (n - i - 1) * sizeof(*v));
		n--;
		uc3_message_person_remove(&w->message, gone->email);
	} else {
		const struct uc3_person_input *in = c->in;

		if (!in->service && uc3_policy_role_index(p, in->role) < 0) {
			chain(&roles, p);
			rc = uc3_error_set(UC3_EINVAL, "unknown role '%s': the chain is %s",
					   in->role, roles.ptr);
			goto out;
		}
		if (uc3_policy_person(p, in->email)) {
			rc = uc3_error_set(UC3_EINVAL,
					   "%s is already one of the people of the policy; "
					   "remove them first to change their role or key",
					   in->email);
			goto out;
		}
		if (!n && (in->service || strcmp(in->role, top_role(p)))) {
			rc = uc3_error_set(
				UC3_EINVAL,
				"the first person must hold the %s role: once people are "
				"listed, only that role may change the policy",
				top_role(p));
			goto out;
		}
		c->first = n == 0;
		me = &v[n++];
		memset(me, 0, sizeof(*me));
		me->email = (char *)in->email;
		me->name = (char *)in->name;
		if (in->service) {
			me->service = true;
		} else {
			me->roles = (char **)&in->role;
			me->nroles = 1;
		}
		me->keys = &c->key;
		me->nkeys = 1;
		uc3_message_person_add(&w->message, in->email, in->service ? "service" : in->role);
	}
	rc = rewrite_people(uc3_write_add(w, UC3_POLICY_FILE), text.ptr, text.len, v, n, false);
out:
	free(v);
	uc3_buf_release(&text);
	uc3_buf_release(&roles);
	return rc;
}

/* After the policy changed: git's own signature checks follow it. */
static void
keep_signers(struct uc3_store *st, struct uc3_write_result *res)
{
	char *have = uc3_store_config(st, "gpg.ssh.allowedSignersFile");
	char *path = uc3_store_signers_path(st);

	if (uc3_store_keep_signers(st, true) < 0 ||
	    (!have && uc3_store_config_set(st, "gpg.ssh.allowedSignersFile", path) < 0)) {
		if (!res->warning) {
			struct uc3_buf b = UC3_BUF_INIT;

			uc3_buf_addf(&b, _("git's allowed signers file %s is not up to date: %s"),
				     path, uc3_error_last());
			res->warning = uc3_buf_detach(&b);
		}
		uc3_error_clear();
	}
	free(have);
	free(path);
}

static int
start(struct uc3_store *st, const char **actor)
{
	const char *name;
	int rc;

	if ((rc = uc3_remote_sync(st)) < 0)
		return rc;
	if ((rc = uc3_store_actor(&name, actor, st)) < 0)
		return rc;
	return may_change(uc3_store_policy(st), *actor);
}

int
uc3_people_add(struct uc3_store *st, const struct uc3_person_input *in, bool *first,
	       struct uc3_write_result *res)
{
	struct person_ctx c = { 0 };
	int rc;

	c.in = in;
	*first = false;
	if ((rc = start(st, &c.actor)) < 0)
		return rc;
	if (!uc3_people_email_ok(in->email))
		return uc3_error_set(UC3_EINVAL, "'%s' is not an email address", in->email);
	if (in->name && (rc = uc3_text_check(in->name, "--name", UC3_TEXT_LINE)) < 0)
		return rc;
	if (in->name && !*in->name)
		return uc3_error_set(UC3_EINVAL, "--name is empty");
	if (in->key) {
		rc = uc3_people_read_key(&c.key, in->key);
	} else if (strcasecmp(in->email, c.actor)) {
		rc = uc3_error_set(UC3_EINVAL,
				   "give %s's public key with --key: the signing key in your git "
				   "configuration is yours (%s)",
				   in->email, c.actor);
	} else {
		rc = uc3_store_public_key(&c.key, st);
	}
	if (rc == 0)
		rc = uc3_store_write(st, person_edit, &c, res);
	if (rc == 0) {
		*first = c.first;
		keep_signers(st, res);
	}
	free(c.key);
	return rc;
}

int
uc3_people_remove(struct uc3_store *st, const char *email, struct uc3_write_result *res)
{
	struct person_ctx c = { 0 };
	int rc;

	c.remove = email;
	if ((rc = start(st, &c.actor)) < 0)
		return rc;
	rc = uc3_store_write(st, person_edit, &c, res);
	if (rc == 0)
		keep_signers(st, res);
	return rc;
}
