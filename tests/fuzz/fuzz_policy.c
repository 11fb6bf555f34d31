/* uc3_policy_parse on arbitrary bytes, and the look-ups on what it gives. */
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc3_policy *p = NULL;
	size_t i;

	if (uc3_policy_parse(&p, (const char *)data, size, UC3_POLICY_FILE) < 0)
		return 0;
	for (i = 0; i < p->nroles; i++)
		if (uc3_policy_role_index(p, p->roles[i].id) != (int)i ||
		    uc3_policy_role(p, p->roles[i].id) != &p->roles[i])
			abort(); /* duplicate role ids must have been refused */
	for (i = 0; i < p->npeople; i++)
		if (!uc3_policy_person(p, p->people[i].email))
			abort();
	for (i = 0; i < p->nkinds; i++)
		if (!uc3_policy_has_kind(p, p->kinds[i]))
			abort();
	for (i = 0; i < p->nchannels; i++)
		if (!uc3_policy_has_channel(p, p->channels[i]))
			abort();
	uc3_policy_free(p);
	return 0;
}

#include "fuzz_main.h"
