/* replay_main.c — a plain main() for the fuzz targets: runs
 * LLVMFuzzerTestOneInput on every file of the directory argv[1]. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read path whole into a malloc'd buffer; NULL on error. */
static uint8_t *replay_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	DIR *dir = opendir(argv[1]);
	if (!dir) {
		perror(argv[1]);
		return 1;
	}
	unsigned long files = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
		size_t size = 0;
		uint8_t *data = replay_read_file(path, &size);
		if (!data) {
			perror(path);
			closedir(dir);
			return 1;
		}
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		files++;
	}
	closedir(dir);
	printf("# replayed %lu inputs from %s\n", files, argv[1]);
	return files > 0 ? 0 : 1;
}
