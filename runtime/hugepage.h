/*
 * runtime/hugepage.h: the tables the packet path reads at random (the
 * states and their cold records) ask the kernel for huge pages, so that a
 * look-up in a table larger than the TLB covers is not also a page walk
 * (on a virtual machine a walk of two page tables), and fewer faults fill
 * them. A hint on memory allocated as usual: where the kernel has no huge
 * pages or declines, the pages stay small and nothing else changes.
 */
#ifndef PK_RUNTIME_HUGEPAGE_H
#define PK_RUNTIME_HUGEPAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#define PK_HUGE_PAGE ((uintptr_t)2 << 20)

/* Ask for huge pages over the whole pages of [p, p + bytes) when they span
 * more than a huge page: the kernel uses them for the aligned 2 MB runs. */
static inline void pk_huge_pages(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t page = 4096, at = ((uintptr_t)p + page - 1) & ~(page - 1);
	const uintptr_t end = ((uintptr_t)p + bytes) & ~(page - 1);
	if (end > at + PK_HUGE_PAGE)
		(void)madvise((void *)at, end - at, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

#endif
