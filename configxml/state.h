/* configxml/state.h: a pass rule's state keyword and options (state.c). */
#ifndef PK_CONFIGXML_STATE_H
#define PK_CONFIGXML_STATE_H

#include "configxml/cx.h"

/* " keep state ( max 100, ... )", " no state", or "" when the product
 * writes nothing (synproxy on a protocol other than tcp). proto is the
 * rule's <protocol>. */
const char *cx_state(struct cx *c, const xmlNode *r, const char *proto);

#endif
