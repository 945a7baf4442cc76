/*
 * runtime/scrub.h: packet normalisation options a state carries.
 */
#ifndef PK_RUNTIME_SCRUB_H
#define PK_RUNTIME_SCRUB_H

#define PK_SCRUB_NODF 0x01     /* clear the don't-fragment bit */
#define PK_SCRUB_RANDOMID 0x02 /* replace the IPv4 id of unfragmented packets */
#define PK_SCRUB_SETTOS 0x04
#define PK_SCRUB_TCP 0x08      /* reassemble tcp */
#define PK_SCRUB_ON 0x10       /* a scrub rule matched (pf's PFDESC_IP_REAS) */

#endif
