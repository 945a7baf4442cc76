/*
 * compiler/resolve_queue.c: the checks pfctl makes of OpenBSD queue trees.
 *
 * Queues change no verdict, so picket keeps their statements as written
 * (struct pk_ir_carried); but a tree pfctl refuses to load must be refused
 * here too: every queue has a bandwidth or a flow count, only a leaf may be
 * the default or a flow queue, a tree of more than one queue has a default,
 * and a rule names only queues that exist. FreeBSD's altq trees (queues
 * with neither `on` nor `parent`) are left as they are.
 */
#include "compiler/resolve.h"

#include <stdlib.h>
#include <string.h>

struct pk_queue {
	const struct pk_ir_carried *at;
	char *name, *on, *parent;
	bool bandwidth, flows, is_default;
	unsigned children;
};

/* Reads `queue NAME [on IF] [parent P] [bandwidth B] [flows N] [default]
 * ...` from the kept text; false for what is no OpenBSD queue. */
static bool queue_read(struct pk_res *r, const struct pk_ir_carried *c, struct pk_queue *q)
{
	memset(q, 0, sizeof(*q));
	q->at = c;
	char *text = pk_arena_strdup(r->a, c->text), *save = NULL;
	const char *w = strtok_r(text, " ", &save);
	if (!w || strcmp(w, "queue") || !(q->name = strtok_r(NULL, " ", &save)))
		return false;
	for (char *k; (k = strtok_r(NULL, " ", &save));) {
		if (!strcmp(k, "on"))
			q->on = strtok_r(NULL, " ", &save);
		else if (!strcmp(k, "parent"))
			q->parent = strtok_r(NULL, " ", &save);
		q->bandwidth |= !strcmp(k, "bandwidth");
		q->flows |= !strcmp(k, "flows");
		q->is_default |= !strcmp(k, "default");
	}
	return q->on || q->parent;
}

static const struct pk_queue *queue_find(const struct pk_queue *q, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(q[i].name, name))
			return &q[i];
	return NULL;
}

/* Whether a is root or below it. The walk up takes at most n steps: more
 * means the parents loop (queue a parent b, queue b parent a), which
 * pfctl cannot load since a parent is defined before its children. */
static bool queue_below(const struct pk_queue *q, uint32_t n, const struct pk_queue *a, const struct pk_queue *root)
{
	for (uint32_t steps = 0; a && steps <= n; steps++) {
		if (a == root)
			return true;
		a = a->parent ? queue_find(q, n, a->parent) : NULL;
	}
	return false;
}

static bool queue_loops(const struct pk_queue *q, uint32_t n, const struct pk_queue *a)
{
	for (uint32_t steps = 0; a && a->parent; steps++) {
		if (steps == n)
			return true;
		a = queue_find(q, n, a->parent);
	}
	return false;
}

static void queue_check_tree(struct pk_res *r, struct pk_queue *q, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct pk_queue *p = q[i].parent ? queue_find(q, n, q[i].parent) : NULL;
		if (q[i].parent && !p)
			pk_error(r->d, &q[i].at->loc, "queue %s: parent %s is not defined", q[i].name, q[i].parent);
		else if (p && queue_loops(q, n, &q[i]))
			pk_error(r->d, &q[i].at->loc, "queue %s: its parents form a loop", q[i].name);
		else if (p)
			((struct pk_queue *)p)->children++;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct pk_loc *loc = &q[i].at->loc;
		if (!q[i].bandwidth && !q[i].flows)
			pk_error(r->d, loc, "queue %s has no bandwidth or flow specification", q[i].name);
		else if (!q[i].bandwidth && q[i].parent)
			pk_error(r->d, loc, "queue %s: no bandwidth was specified", q[i].name);
		if (q[i].flows && q[i].children)
			pk_error(r->d, loc, "flow queue %s is not a leaf queue", q[i].name);
		if (q[i].is_default && q[i].children)
			pk_error(r->d, loc, "default queue %s is not a leaf queue", q[i].name);
	}
	/* a root with children needs a default leaf among its descendants */
	for (uint32_t i = 0; i < n; i++) {
		if (!q[i].on || !q[i].children)
			continue;
		bool found = false;
		for (uint32_t j = 0; j < n; j++)
			found |= q[j].is_default && queue_below(q, n, &q[j], &q[i]);
		if (!found)
			pk_error(r->d, &q[i].at->loc, "queue %s on %s: no default queue specified; mark one leaf default",
				 q[i].name, q[i].on);
	}
}

/* The names in `set queue x`, `set queue (x, y)`, `queue x` of a rule. */
static void queue_check_rule(struct pk_res *r, const struct pk_ir_rule *ir, const struct pk_queue *q, uint32_t n)
{
	char *text = pk_arena_strdup(r->a, ir->carried), *save = NULL;
	bool after_queue = false;
	for (char *w = strtok_r(text, " (),", &save); w; w = strtok_r(NULL, " (),", &save)) {
		static const char *const other[] = {"set", "prio", "delay", "tos", "ridentifier", "dnpipe", "dnqueue"};
		bool is_other = false;
		for (size_t k = 0; k < sizeof(other) / sizeof(other[0]); k++)
			is_other |= !strcmp(w, other[k]);
		if (is_other || !strcmp(w, "queue"))
			after_queue = !is_other;
		else if (after_queue && !queue_find(q, n, w))
			pk_error(r->d, &ir->loc, "queue %s is not defined", w);
	}
}

void pk_res_check_queues(struct pk_res *r)
{
	const struct pk_ir_ruleset *rs = r->rs;
	uint32_t n = 0;
	for (uint32_t i = 0; i < rs->ncarried; i++)
		if (!strncmp(rs->carried[i].text, "altq ", 5))
			return;
	struct pk_queue *q = pk_arena_array(r->a, rs->ncarried ? rs->ncarried : 1, sizeof(*q));
	for (uint32_t i = 0; i < rs->ncarried; i++)
		n += queue_read(r, &rs->carried[i], &q[n]);
	if (!n)
		return;
	queue_check_tree(r, q, n);
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].carried)
			queue_check_rule(r, &rs->rules[i], q, n);
}
