#include "tool.h"

/*
 * uc3_tool_freshen, apart from the rest of tool.c: it is the one part
 * that reaches the store, and the dispatcher, which links tool.c, then
 * does not load libgit2 and what it needs at every command.
 */

#include <stdlib.h>
#include <string.h>

#include "remote.h"

void
uc3_tool_freshen(struct uc3_store *st)
{
	const char *off = getenv("UC3_NO_FETCH");
	char *w, *line, *next;

	/* Shell completion must not wait on the network, nor warn onto the command line. */
	if (off && *off)
		return;
	w = uc3_remote_freshen(st);

	for (line = w; line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		uc3_tool_warn("%s", line);
	}
	free(w);
}
