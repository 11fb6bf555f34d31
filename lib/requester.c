#include "requester.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "utf8.h"
#include "xalloc.h"

static char *
trim_dup(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return uc3_xstrndup(s, len);
}

static bool
email_ok(const char *e)
{
	const char *at = strchr(e, '@');

	return at && at != e && at[1] && !strchr(at + 1, '@') && !strpbrk(e, " \t<>,;\"");
}

/* "@unej_fess": an "@" first and no other, no blanks, something after it. */
static bool
handle_ok(const char *s)
{
	return s[0] == '@' && s[1] && !strchr(s + 1, '@') && !strpbrk(s, " \t<>,;\"");
}

int
uc3_requester_parse(char **name, char **email, char **social, const char *from)
{
	const char *lt, *gt;

	*name = NULL;
	*email = NULL;
	*social = NULL;
	if (uc3_text_check(from, "--from", UC3_TEXT_UNBROKEN) < 0)
		return UC3_EINVAL;
	lt = strchr(from, '<');
	gt = strchr(from, '>');
	if (lt || gt) {
		const char *p;

		if (!lt || !gt || gt < lt || strchr(lt + 1, '<') || strchr(gt + 1, '>'))
			goto bad;
		for (p = gt + 1; *p; p++)
			if (*p != ' ' && *p != '\t')
				goto bad;
		*email = trim_dup(lt + 1, (size_t)(gt - lt - 1));
		if (!email_ok(*email))
			goto bad;
		*name = trim_dup(from, (size_t)(lt - from));
		if (**name == '"' && strlen(*name) >= 2 && (*name)[strlen(*name) - 1] == '"') {
			char *q = trim_dup(*name + 1, strlen(*name) - 2);

			free(*name);
			*name = q;
		}
		if (!**name) {
			free(*name);
			*name = NULL;
		}
		return 0;
	}
	{
		char *s = trim_dup(from, strlen(from));

		if (!*s) {
			free(s);
			goto bad;
		}
		if (handle_ok(s)) {
			*social = s;
		} else if (strchr(s, '@')) {
			if (!email_ok(s)) {
				free(s);
				goto bad;
			}
			*email = s;
		} else {
			*name = s;
		}
	}
	return 0;
bad:
	free(*name);
	free(*email);
	*name = NULL;
	*email = NULL;
	return uc3_error_set(UC3_EINVAL,
			     "cannot read --from '%s': expected \"Name <email>\", an email, "
			     "an @account or a name",
			     from);
}

char *
uc3_requester_address(const char *s)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char *text, *p;

	if (!s)
		return NULL;
	/* Normalised, every line ends in LF and has no blanks before it. */
	text = uc3_text_normalize(s, strlen(s));
	for (p = text; *p;) {
		char *nl = strchr(p, '\n');

		p += strspn(p, " ");
		if (p != nl)
			uc3_buf_add(&b, p, (size_t)(nl - p) + 1);
		p = nl + 1;
	}
	free(text);
	if (!b.len) {
		uc3_buf_release(&b);
		return NULL;
	}
	return uc3_buf_detach(&b);
}
