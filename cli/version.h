/* cli/version.h: the release version, printed by --version. */
#ifndef PK_CLI_VERSION_H
#define PK_CLI_VERSION_H
#define PK_VERSION "0.1.0"
#endif
