/* sha256.h - SHA-256 of a file as 64 hex digits (0), or -1 on I/O error. */
#ifndef VMCLOCK_SHA256_H
#define VMCLOCK_SHA256_H
int sha256_file(const char *path, char hex[65]);
#endif
