// Where Sylk keeps its pickle token file: apart from the reader, so naming the file never loads the pickle parser.
import { join } from 'node:path';

/** Sylk Pushserver's (and SylkServer's) pickle file name inside `spool_dir`. */
export const SYLK_PICKLE_FILE_NAME = 'webrtc_device_tokens';

export function sylkPickleFilePath(spoolDir: string): string {
  return join(spoolDir, SYLK_PICKLE_FILE_NAME);
}
