// The words an ini or environment boolean may be written with (configparser's getboolean and python3-application's
// Boolean accept the same eight), shared by every setting that reads one.
export const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  '1': true,
  yes: true,
  true: true,
  on: true,
  '0': false,
  no: false,
  false: false,
  off: false,
};
