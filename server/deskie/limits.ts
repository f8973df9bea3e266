/** Deskie's attachment limits (deskie-api.md §2.1): per file and per case. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 50 * 1024 * 1024;
