export { parseCli, type CliArgs } from './cli-args.js';
