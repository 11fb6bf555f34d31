#include "requester.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

int
uc3_requester_parse(char **name, char **email, const char *from)
{
	const char *lt, *gt;

	*name = NULL;
	*email = NULL;
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
		if (strchr(s, '@')) {
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
	return uc3_error_set(
		UC3_EINVAL,
		"cannot read --from '%s': expected \"Name <email>\", an email or a name", from);
}
