/** English words of the file list and its checks, loaded with them (attach.ts), not with the form. */
export const enFiles = {
  files: { one: '{count} file, {size} in total', other: '{count} files, {size} in total' },
  remove: 'Remove {name}',
  uploading: 'Uploading {name}: {percent}%',
  FILE_TOO_LARGE: '“{name}” is larger than {size}.',
  FILES_TOO_LARGE: 'The files together are larger than {size}.',
  FILE_TYPE: 'We do not accept files like “{name}”.',
  TOO_MANY_FILES: {
    one: 'You can attach at most {count} file.',
    other: 'You can attach at most {count} files.',
  },
};
