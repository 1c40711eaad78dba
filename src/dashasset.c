/*
 * dashasset.c -- the files in src/dash/, in the binary (dashasset.h).
 *
 * The assembler's .incbin takes each file's bytes as they are: the page
 * stays a real HTML file (and the script a real .js file) that an editor
 * and a browser can open, with no generator, no xxd and no escaping step;
 * gcc and clang both pass it through.  The path is relative to the
 * directory the compiler runs in, the top of the tree (the Makefile
 * makes this object depend on the files, so editing one rebuilds it).
 */
#include "dashasset.h"

#define DASHASSET(sym, file)						\
	__asm__(".pushsection .rodata\n"				\
	    ".balign 16\n"						\
	    ".globl " #sym "_start\n"					\
	    ".hidden " #sym "_start\n"					\
	    #sym "_start:\n"						\
	    ".incbin \"" file "\"\n"					\
	    ".globl " #sym "_end\n"					\
	    ".hidden " #sym "_end\n"					\
	    #sym "_end:\n"						\
	    ".byte 0\n"							\
	    ".popsection\n");						\
	extern const char sym##_start[], sym##_end[];			\
	struct dashasset dashasset_##sym(void)				\
	{								\
		return (struct dashasset){ sym##_start,			\
		    (size_t)(sym##_end - sym##_start) };		\
	}

DASHASSET(page, "src/dash/index.html")
DASHASSET(css, "src/dash/dash.css")
DASHASSET(js, "src/dash/dash.js")
